/**
 * Name material for a Ningbo-like city (10 districts/counties + 4 functional zones). Township and village names
 * are composed from syllables, so they sound local without naming real places' institutions.
 */
export interface DistrictSpec {
  name: string;
  /** The district party committee's organization name. */
  partyOrg: string;
  kind: 'URBAN' | 'COUNTY' | 'ZONE';
  townships: number;
}

/** 150 townships in all. */
export const DISTRICTS: readonly DistrictSpec[] = [
  { name: '海曙区', partyOrg: '中共海曙区委组织部', kind: 'URBAN', townships: 15 },
  { name: '江北区', partyOrg: '中共江北区委组织部', kind: 'URBAN', townships: 8 },
  { name: '镇海区', partyOrg: '中共镇海区委组织部', kind: 'URBAN', townships: 6 },
  { name: '北仑区', partyOrg: '中共北仑区委组织部', kind: 'URBAN', townships: 10 },
  { name: '鄞州区', partyOrg: '中共鄞州区委组织部', kind: 'URBAN', townships: 22 },
  { name: '奉化区', partyOrg: '中共奉化区委组织部', kind: 'COUNTY', townships: 11 },
  { name: '余姚市', partyOrg: '中共余姚市委组织部', kind: 'COUNTY', townships: 19 },
  { name: '慈溪市', partyOrg: '中共慈溪市委组织部', kind: 'COUNTY', townships: 18 },
  { name: '宁海县', partyOrg: '中共宁海县委组织部', kind: 'COUNTY', townships: 15 },
  { name: '象山县', partyOrg: '中共象山县委组织部', kind: 'COUNTY', townships: 15 },
  { name: '高新区', partyOrg: '中共高新区工作委员会', kind: 'ZONE', townships: 3 },
  { name: '东钱湖旅游度假区', partyOrg: '中共东钱湖旅游度假区工作委员会', kind: 'ZONE', townships: 3 },
  { name: '前湾新区', partyOrg: '中共前湾新区工作委员会', kind: 'ZONE', townships: 3 },
  { name: '梅山保税港区', partyOrg: '中共梅山保税港区工作委员会', kind: 'ZONE', townships: 2 },
];

export const CIVIL_AFFAIRS_ORG = '市民政局机关党委';

/** Syllables for place names (two of them make a township or village stem). */
export const PLACE_FIRST = [...'东西南北江海山湖桥港塘浦溪岙岭石梅柳龙凤云白青松竹金玉新长大小横前后上高古鹤鸣望丰庄田河泉沙洪樟杨林花荷蓝瑞福兴安宁盛义'];
export const PLACE_SECOND = [...'桥塘浦溪岙岭湾埠山河门头口家庄田林园洋浜墩堰岗圩坪屿泾渡潭里亭港坑坞'];

export const SURNAMES = [...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方邹熊白孟秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤应竺邬俞'];
export const GIVEN = [...'伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国文红玉梅志忠海波宁林云凤琴春燕荣德亮成辉斌新利清飞彬富顺信子杰涵浩宇佳欣雅婷晨宏亚楠鑫鹏'];

/** Brand words for private operators and institutions. */
export const BRANDS = ['康乐', '福寿', '松鹤', '颐和', '金色阳光', '百岁', '椿萱', '夕阳红', '爱心', '仁和', '康宁', '安泰', '颐康', '乐龄', '福康', '慈爱', '长青', '和美', '怡年', '瑞福'];

export const INSTITUTION_SUFFIX = {
  PUBLIC: ['敬老院', '中心敬老院', '颐养院', '老年公寓', '社会福利中心'],
  PUBLIC_BUILT_PRIVATE_RUN: ['颐养中心', '康养中心', '养老服务中心', '颐乐园', '护理院'],
  PRIVATE: ['养老院', '护理院', '老年公寓', '颐养院', '康复护理中心'],
} as const;
