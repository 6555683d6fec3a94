export * from './activity-names';
export * from './workflow-contracts';
export * from './mail-contracts';
export * from './processes';
export * from './legacy/establish-branch-v0';
