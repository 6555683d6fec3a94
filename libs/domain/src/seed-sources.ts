/**
 * The policy sentences each rule comes from, quoted from the seed
 * (shared/seed/000_3389443cf31012c2.txt). Findings cite these verbatim.
 *
 * Every entry is a verbatim substring of the seed except the two marked ones:
 * - R3b is a default where the seed is silent (prefixed 「（政策未明确）」);
 * - R15 joins two seed sentences (prefixed 「（组合引用）」, parts joined by 「……」), see SEED_SOURCE_PARTS.
 */
export const SEED_SOURCES = {
  R1: '公办养老机构党组织由举办单位党组织管理',
  R2: '公建民营养老机构党组织由公建方或属地镇乡（街道）党组织管理',
  R3: '养老机构老年人党支部原则由属地镇乡（街道）党组织管理',
  R3b: '（政策未明确）民营养老机构、居家养老服务中心（站）党组织默认由属地镇乡（街道）党组织管理',
  R4: '有3名及3名以上工作人员党员的养老机构，都要单独建立党组织，并按期进行换届',
  R5: '工作人员正式党员人数不足3人的，可以采取同业共建、挂靠组建等方式，组成联合党组织',
  R6: '没有党员的可通过选派党建工作指导员联系服务、组建群团组织开展工作等方式开展组织活动',
  R7: '养老机构内老年人正式党员数达到3人及以上的，条件成熟的，可成立养老机构老年人党支部',
  R8: '公建民营养老机构党组织负责人原则上由公建方选派，已有党组织书记的选派第一书记;不具备条件成立党组织的，要选派党建工作指导员',
  R9: '选派的党组织书记、第一书记和党建工作指导员每周至少半天到养老机构开展党建和服务活动',
  R10: '公建民营养老机构党组织健全、党的活动开展正常的，可由民营方党组织选派或从养老机构内部选举产生党组织负责人',
  R11: '在养老机构工作的党员，组织关系原则上都要转入养老机构所在党组织',
  R12: '对养老机构入住的高龄、失能、失智老年人党员一般不转移',
  R13: '养老机构成立党组织的，老年人可自愿选择迁移党组织关系',
  R14: '党建工作经费要纳入养老机构年度经费预算安排，给予党支部书记必要适当工作补贴',
  R15: '（组合引用）选派的党组织书记、第一书记和党建工作指导员每周至少半天到养老机构开展党建和服务活动……并按期进行换届',
  R16: '到2020年底，公办养老机构实现党的组织和党的工作全覆盖。到2021年，公建民营养老机构实现党的组织和党的工作全覆盖。鼓励民营养老机构、居家养老服务中心按规定建立党的组织,力争到2022年，实现全市民营养老机构、居家养老服务中心党的组织和党的工作全覆盖',
} as const;
export type RuleId = keyof typeof SEED_SOURCES;
export const RULE_IDS = Object.keys(SEED_SOURCES) as RuleId[];

/** How each source relates to the seed text. */
export type SeedSourceKind = 'VERBATIM' | 'SILENT_DEFAULT' | 'COMPOSITE';
export const SEED_SOURCE_KINDS: Readonly<Record<RuleId, SeedSourceKind>> = {
  R1: 'VERBATIM',
  R2: 'VERBATIM',
  R3: 'VERBATIM',
  R3b: 'SILENT_DEFAULT',
  R4: 'VERBATIM',
  R5: 'VERBATIM',
  R6: 'VERBATIM',
  R7: 'VERBATIM',
  R8: 'VERBATIM',
  R9: 'VERBATIM',
  R10: 'VERBATIM',
  R11: 'VERBATIM',
  R12: 'VERBATIM',
  R13: 'VERBATIM',
  R14: 'VERBATIM',
  R15: 'COMPOSITE',
  R16: 'VERBATIM',
};

/** The verbatim seed fragments a composite source is built from. */
export const SEED_SOURCE_PARTS: Readonly<Partial<Record<RuleId, readonly string[]>>> = {
  R15: ['选派的党组织书记、第一书记和党建工作指导员每周至少半天到养老机构开展党建和服务活动', '并按期进行换届'],
};

export function isRuleId(id: string): id is RuleId {
  return Object.prototype.hasOwnProperty.call(SEED_SOURCES, id);
}
