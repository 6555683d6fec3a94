import type writeXlsxFile from 'write-excel-file/node';

/** The file content type the node entry point works with (the package does not export it by name). */
type NodeFeature = NonNullable<NonNullable<Parameters<typeof writeXlsxFile>[1]>['features']>[number];
import { getOrderOfSiblings, insertElementMarkupAccordingToOrderOfSiblings, sanitizeAttributeValue } from 'write-excel-file/utility';

export interface ListColumn {
  /** 0-based column index in the first sheet. */
  column: number;
  choices: readonly string[];
  required: boolean;
  title: string;
  hint: string;
}

/** Where <dataValidations> goes among a worksheet's children (ECMA-376 CT_Worksheet order). */
const WORKSHEET_ORDER = [
  'sheetPr', 'dimension', 'sheetViews', 'sheetFormatPr', 'cols', 'sheetData', 'sheetCalcPr', 'sheetProtection', 'protectedRanges',
  'scenarios', 'autoFilter', 'sortState', 'dataConsolidate', 'customSheetViews', 'mergeCells', 'phoneticPr', 'conditionalFormatting',
  'dataValidations', 'hyperlinks', 'printOptions', 'pageMargins', 'pageSetup', 'headerFooter', 'rowBreaks', 'colBreaks',
  'customProperties', 'cellWatches', 'ignoredErrors', 'smartTags', 'drawing', 'legacyDrawing', 'legacyDrawingHF', 'picture',
  'oleObjects', 'controls', 'webPublishItems', 'tableParts', 'extLst',
];

const letters = (col: number): string => (col < 26 ? String.fromCharCode(65 + col) : letters(Math.floor(col / 26) - 1) + String.fromCharCode(65 + (col % 26)));

/**
 * A write-excel-file feature adding drop-down lists (data validation of type list) to columns of the first sheet,
 * rows 2…lastRow, as the import templates offer their fixed choices.
 */
export function listValidation(columns: ListColumn[], lastRow: number): NodeFeature {
  return {
    files: {
      transform: {
        'xl/worksheets/sheet{id}.xml': {
          transform: (xml, _options, { sheetIndex }) => {
            if (sheetIndex !== 0 || columns.length === 0) return xml;
            const items = columns.map((c) => {
              const range = `${letters(c.column)}2:${letters(c.column)}${lastRow}`;
              const formula = `"${c.choices.join(',')}"`.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
              return (
                `<dataValidation type="list" allowBlank="${c.required ? 0 : 1}" showErrorMessage="1" errorTitle="${sanitizeAttributeValue(c.title)}"` +
                ` error="${sanitizeAttributeValue(c.hint)}" sqref="${range}"><formula1>${formula}</formula1></dataValidation>`
              );
            });
            const markup = `<dataValidations count="${items.length}">${items.join('')}</dataValidations>`;
            return insertElementMarkupAccordingToOrderOfSiblings(xml, markup, getOrderOfSiblings('xl/worksheets/sheet{id}.xml', 'worksheet') ?? WORKSHEET_ORDER, 'worksheet');
          },
        },
      },
    },
  };
}
