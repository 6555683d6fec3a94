/**
 * Bar charts on ECharts, tree-shaken to what they use (bar, grid, tooltip, legend, canvas) so only the pages with a
 * chart load it. ECharts over @ant-design/charts: a smaller build for these charts and a library maintained by Apache.
 */
import ReactEChartsCore from 'echarts-for-react/lib/core';
import { BarChart as Bars, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([Bars, LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export interface Series {
  name: string;
  values: number[];
  stack?: string;
  color?: string;
  /** Drawn as a line over the bars (e.g. a target). */
  line?: boolean;
}

export function BarChart({ categories, series, height = 300, testId }: { categories: string[]; series: Series[]; height?: number; testId?: string }) {
  return (
    <div data-testid={testId}>
      <ReactEChartsCore
        echarts={echarts}
        style={{ height, width: '100%' }}
        notMerge
        option={{
          animation: false,
          tooltip: { trigger: 'axis' },
          legend: { top: 0 },
          grid: { left: 8, right: 8, bottom: 8, top: 36, containLabel: true },
          xAxis: { type: 'category', data: categories, axisLabel: { interval: 0, rotate: categories.length > 5 ? 30 : 0 } },
          yAxis: { type: 'value', minInterval: 1 },
          series: series.map((s) => ({ name: s.name, type: s.line ? 'line' : 'bar', stack: s.stack, data: s.values, itemStyle: s.color ? { color: s.color } : undefined })),
        }}
      />
    </div>
  );
}
