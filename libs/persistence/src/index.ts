export * from './entities';
export * from './migrations';
export * from './data-source';
export * from './persistence.module';
export * from './settings.service';
export * from './timeline-writer.service';
