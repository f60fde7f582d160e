// A small input catalogue for the sheet tests, shaped like shared/rulebook/inputs.json but independent of it.
import type { InputDef } from '../../shared/types.ts';

export const CATALOGUE: InputDef[] = [
  { id: 'code', label: '区划代码', kind: 'code', synonyms: ['统计用区划代码', '村代码', '代码'] },
  { id: 'township', label: '乡镇（街道）', kind: 'text', synonyms: ['乡镇', '所属乡镇', '街道'] },
  { id: 'name', label: '村（社区）名称', kind: 'text', synonyms: ['村名', '村名称', '行政村'] },
  { id: 'orgType', label: '党组织类型', kind: 'orgType', synonyms: ['组织类型'] },
  { id: 'members', label: '党员人数', kind: 'count', unit: '人', synonyms: ['党员总数', '党员数'] },
  { id: 'formalMembers', label: '正式党员人数', kind: 'count', unit: '人', synonyms: ['正式党员'] },
  { id: 'memberMeetings', label: '支部党员大会次数', kind: 'count', unit: '次', synonyms: ['党员大会', '党员大会次数'] },
  { id: 'committeeMeetings', label: '支部委员会次数', kind: 'count', unit: '次', synonyms: ['支委会', '支委会次数', '支部委员会'] },
  { id: 'groupMeetings', label: '党小组会次数', kind: 'count', unit: '次', synonyms: ['党小组会'] },
  { id: 'partyLectures', label: '党课次数', kind: 'count', unit: '次', synonyms: ['党课'] },
  { id: 'partyDays', label: '党员活动日次数', kind: 'count', unit: '次', synonyms: ['主题党日', '党员活动日'] },
  { id: 'collectiveIncome', label: '村集体经济收入', kind: 'money', unit: '万元', synonyms: ['集体经济收入', '集体经济年收入', '集体经济'] },
  { id: 'activityArea', label: '活动场所面积', kind: 'area', unit: '平方米', synonyms: ['场所面积', '面积'] },
  { id: 'satisfaction', label: '群众满意度', kind: 'percent', unit: '%', synonyms: ['满意度', '满意率'] },
  { id: 'lastElection', label: '上次换届时间', kind: 'date', synonyms: ['换届时间'] },
  { id: 'isWeak', label: '软弱涣散', kind: 'bool', synonyms: ['是否软弱涣散', '软弱涣散村'] },
  { id: 'hasLostMembers', label: '失联党员', kind: 'bool', synonyms: ['有无失联党员'] },
  { id: 'judge.basic.25', label: '标识制度规范', kind: 'judgement', synonyms: ['标识制度', '基本标准第25条', '基本25'] },
  { id: 'judge.basic.27', label: '氛围营造', kind: 'judgement', synonyms: ['宣传氛围', '基本标准第27条', '基本标准第二十七条', '基本27'] },
];
