export * from './workflow-contracts';
export * from './mail-contracts';
