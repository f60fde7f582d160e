// Base labels of the header-variant corpus, written the way township and village officers write them.
// One line per label: `path | expected input id or - | source`. A path of header cells parent → leaf is written
// with " / " between cells; "\n" is a line break inside a cell. Sources:
//   issue      — quoted in issue 11 (labels seen in real submissions that mapped to nothing)
//   form:…     — wording of a public form (党内统计年报表, 村集体经济组织收益分配统计表, 三会一课情况登记表,
//                村基本情况表, 农村基层党组织建设考评表 …) as found with the search tool
//   officer    — written for this corpus the way officers word a column
// This file is kept apart from shared/rulebook/inputs.json on purpose: it measures how the matcher generalises.
export const BASE = String.raw`
村党组织班子成员（人） | leadershipSize | issue
书记年度培训（学时） | secretaryTrainingHours | issue
组织类别 | orgType | issue
支委会召开次数 | committeeMeetings | issue
党课开展次数 | partyLectures | issue
储备后备干部数 | reserveCadres | issue
集體經濟收入（萬元） | collectiveIncome | issue
书记参加县级以上集中培训（次） | secretaryCountyTraining | issue
行政区划码 | code | officer
村级组织代码 | code | officer
村（社区）代码 | code | officer
统计用区划代码（12位） | code | form:国家统计局统计用区划代码表
村名称 | name | officer
行政村名 | name | officer
村（居）名称 | name | officer
村党支部名称 | name | officer
村委会 | name | officer
所属乡镇（街道） | township | officer
乡（镇） | township | officer
镇（乡、街道） | township | officer
所在镇 | township | officer
党组织类别 | orgType | officer
党组织设置情况（党委/总支/支部） | orgType | officer
基层党组织类型 | orgType | officer
村/社区 | unitType | officer
是否软弱涣散村党组织 | isWeak | officer
软弱涣散（是/否） | isWeak | officer
是否列为软弱涣散 | isWeak | officer
是否贫困村（是/否） | isPoor | officer
建档立卡贫困村（是/否） | isPoor | officer
正式党员（人） | formalMembers | officer
正式党员数（名） | formalMembers | officer
党员总数（人） | members | form:党内统计年报表（乡镇、建制村党员情况）
党员数（名） | members | officer
现有党员人数 | members | officer
全村党员数 | members | officer
党员（人） | members | officer
支部委员（人） | leadershipSize | officer
村党支部委员数 | leadershipSize | officer
支委成员数 | leadershipSize | officer
支委会成员数（人） | leadershipSize | officer
班子成员（人） | leadershipSize | officer
上届换届时间 | lastElection | officer
最近一次换届（年月） | lastElection | officer
换届选举时间 | lastElection | officer
本届班子选举时间 | lastElection | officer
是否按期换届选举 | electedOnTime | officer
换届是否按期 | electedOnTime | officer
是否有第一书记 | hasFirstSecretary | officer
驻村第一书记（有/无） | hasFirstSecretary | officer
是否配备组织委员 | hasOrgCommissioner | officer
组织委员（有/无） | hasOrgCommissioner | officer
纪检委员（有/无） | disciplineInPlace | officer
是否设立纪检委员 | disciplineInPlace | officer
后备干部（人） | reserveCadres | officer
村级后备力量人数 | reserveCadres | officer
培养后备干部人数 | reserveCadres | officer
后备干部储备人数 | reserveCadres | officer
书记参加县以上培训次数 | secretaryCountyTraining | officer
书记县级以上培训（次） | secretaryCountyTraining | officer
支部书记参加县级集中轮训次数 | secretaryCountyTraining | officer
书记培训时长（学时） | secretaryTrainingHours | officer
支部书记年度学习培训学时 | secretaryTrainingHours | officer
书记参训学时 | secretaryTrainingHours | officer
村党组织书记培训（学时） | secretaryTrainingHours | officer
本年度发展党员（人） | newMembers | form:党内统计年报表（发展党员情况）
年度发展党员数 | newMembers | officer
当年发展党员 | newMembers | officer
新发展党员（名） | newMembers | officer
近两年发展党员（人） | newMembers2y | officer
近2年发展党员数 | newMembers2y | officer
两年内发展党员人数 | newMembers2y | officer
入党积极分子（人） | activists | form:党内统计年报表（发展党员情况）
积极分子数 | activists | officer
入党积极分子数量 | activists | officer
发展对象（人） | developmentCandidates | form:党内统计年报表（发展党员情况）
确定发展对象数 | developmentCandidates | officer
新发展党员中40岁以下（人） | newMembersUnder40 | officer
40岁以下新发展党员数 | newMembersUnder40 | officer
新发展党员40岁以下占比（%） | newMembersUnder40Pct | officer
40岁以下新党员比例 | newMembersUnder40Pct | officer
新发展党员中高中及以上学历（人） | newMembersHighSchool | officer
高中以上学历新党员数 | newMembersHighSchool | officer
新党员高中以上学历比例（%） | newMembersHighSchoolPct | officer
党员人均培训学时 | memberTrainingHours | form:党内统计年报表（党员培训情况）
党员年度学习培训（学时） | memberTrainingHours | officer
党员教育培训时长（学时） | memberTrainingHours | officer
班子成员集中学习培训（学时） | leadershipTrainingHours | officer
支委成员集中学习学时 | leadershipTrainingHours | officer
班子成员参加集中培训（次） | leadershipCentralTraining | officer
班子成员集中轮训次数 | leadershipCentralTraining | officer
远程教育播放计划（有/无） | hasRemoteEduPlan | officer
是否制定远教播放计划 | hasRemoteEduPlan | officer
党费是否按时足额缴纳 | duesPaidInFull | officer
党费收缴公示（次） | duesPublications | officer
公布党费收缴情况次数 | duesPublications | officer
组织关系排查（次） | relationAudits | officer
党员组织关系集中排查次数 | relationAudits | officer
流动党员排查（次） | mobileAudits | officer
流入流出党员排查（次） | mobileAudits | officer
流动党员活动审核（次） | mobileReviews | officer
是否建立困难党员台账 | hasHardshipLedger | officer
困难党员帮扶台账（有/无） | hasHardshipLedger | officer
党内表彰（次） | commendations | form:党内统计年报表（党内表彰情况）
开展党内表彰次数 | commendations | officer
党员大会（次） | memberMeetings | form:三会一课情况登记表
召开支部党员大会次数 | memberMeetings | officer
党员大会召开次数 | memberMeetings | officer
支部委员会会议（次） | committeeMeetings | form:三会一课情况登记表
支委会（次） | committeeMeetings | officer
党小组会（次） | groupMeetings | form:三会一课情况登记表
党小组会议召开次数 | groupMeetings | officer
上党课（次） | partyLectures | officer
党课（次） | partyLectures | form:三会一课情况登记表
班子成员讲党课（次） | leaderLectures | officer
书记述职（次） | secretaryReports | officer
书记抓党建述职次数 | secretaryReports | officer
民主评议党员（次） | memberAppraisals | form:党内统计年报表（民主评议党员情况）
开展民主评议次数 | memberAppraisals | officer
组织生活会（次） | lifeMeetings | officer
召开组织生活会次数 | lifeMeetings | officer
民主生活会（次） | democraticLifeMeetings | officer
是否落实双重组织生活 | dualLife | officer
主题党日（次） | partyDays | officer
主题党日活动开展次数 | partyDays | officer
党员活动日活动次数 | partyDays | officer
固定党日次数 | partyDays | officer
活动场所面积（㎡） | activityArea | officer
村级组织活动场所面积（平方米） | activityArea | officer
党群服务中心建筑面积（㎡） | activityArea | officer
阵地面积（平方米） | activityArea | officer
村部办公面积 | activityArea | officer
走访农户（户） | visitedHouseholds | officer
入户走访数（户） | visitedHouseholds | officer
全村总户数 | totalHouseholds | officer
农户数（户） | totalHouseholds | officer
走访覆盖率（%） | visitCoverage | officer
农户走访率 | visitCoverage | officer
通村道路是否硬化 | roadsHardened | officer
是否存在住房和饮水安全问题 | housingWaterIssue | officer
主导产业（个） | leadingIndustries | officer
主导产业数量 | leadingIndustries | officer
农民人均纯收入（元） | farmerIncome | form:分县区农村经济收益分配表
农村居民人均可支配收入（元） | farmerIncome | officer
贫困发生率（%） | povertyRate | officer
村集体经济年收入（万元） | collectiveIncome | officer
村级集体经营性收入（万元） | collectiveIncome | officer
集体经济收入（元） | collectiveIncome | officer
村集体收入（万元） | collectiveIncome | officer
集体经济试点是否完成年度任务 | pilotTaskDone | officer
主题教育活动（次） | themeEducation | officer
党员主题教育次数 | themeEducation | officer
50岁以下两委成员（人） | cadresUnder50 | officer
两委干部中50岁以下人数 | cadresUnder50 | officer
两委干部高中以上学历（人） | cadresHighSchool | officer
高中及以上文化程度两委干部数 | cadresHighSchool | officer
两委干部（人） | cadreCount | officer
村两委成员数 | cadreCount | officer
两委干部高中以上学历占比（%） | cadresHighSchoolPct | officer
两委干部满意度（%） | cadreSatisfaction | officer
群众对两委干部满意率 | cadreSatisfaction | officer
两委干部不满意率（%） | cadreDissatisfaction | officer
两委干部有无违纪违法 | cadreViolation | officer
群众对党员满意度（%） | memberSatisfaction | officer
群众对党员不满意率（%） | memberDissatisfaction | officer
失联党员（有/无） | hasLostMembers | officer
是否存在失联党员 | hasLostMembers | officer
流动党员（人） | mobileMembers | officer
外出流动党员数 | mobileMembers | officer
流动党员回村参加组织生活（人） | mobileReturned | officer
流动党员回村参加组织生活比例（%） | mobileReturnRate | officer
村民代表会议（次） | villagerRepMeetings | officer
召开村民代表大会次数 | villagerRepMeetings | officer
有无越级上访或群体性上访 | petitionIncidents | officer
是否发生重大治安案件 | majorSecurityCases | officer
带动周边村（个） | villagesLed | officer
基本标准第25条（标识制度） | judge.basic.25 | form:农村基层党组织建设考评表
示范标准第三条 | judge.demo.3 | form:农村基层党组织建设考评表
基本标准第三十条 | judge.basic.30 | form:农村基层党组织建设考评表
三会一课开展情况（次） / 支部党员大会 | memberMeetings | form:三会一课情况登记表
三会一课开展情况（次） / 支委会 | committeeMeetings | form:三会一课情况登记表
三会一课开展情况（次） / 党小组会 | groupMeetings | form:三会一课情况登记表
三会一课开展情况（次） / 党课 | partyLectures | form:三会一课情况登记表
党员队伍 / 总数 | members | officer
党员队伍 / 其中：正式党员 | formalMembers | officer
党员队伍 / 其中：预备党员 | - | officer
发展党员 / 本年度 | newMembers | officer
发展党员 / 近两年 | newMembers2y | officer
发展党员 / 其中：40岁以下 | newMembersUnder40 | officer
发展党员 / 其中：高中及以上学历 | newMembersHighSchool | officer
书记培训 / 参加县级以上集中培训（次） | secretaryCountyTraining | officer
书记培训 / 累计学时 | secretaryTrainingHours | officer
村集体经济 / 年收入（万元） | collectiveIncome | officer
村集体经济 / 资产总额（万元） | - | form:村集体经济组织资产负债统计表
活动场所 / 面积（㎡） | activityArea | officer
活动场所 / 建成年份 | - | officer
基本情况 / 户籍人口 | - | form:村基本情况表
基本情况 / 耕地面积（亩） | - | form:村基本情况表
村党组织书记 / 姓名 | - | officer
村党组织书记 / 联系电话 | - | officer
村党组织书记 / 年度培训学时 | secretaryTrainingHours | officer
两委干部 / 人数 | cadreCount | officer
两委干部 / 50岁以下 | cadresUnder50 | officer
两委干部 / 高中以上文化程度 | cadresHighSchool | officer
满意度测评（%） / 两委干部 | cadreSatisfaction | officer
满意度测评（%） / 党员 | memberSatisfaction | officer
流动党员 / 人数 | mobileMembers | officer
流动党员 / 排查次数 | mobileAudits | officer
走访群众 / 走访户数 | visitedHouseholds | officer
走访群众 / 覆盖率（%） | visitCoverage | officer
班子建设 / 班子成员（人） | leadershipSize | officer
班子建设 / 换届时间 | lastElection | officer
班子建设 / 后备干部（人） | reserveCadres | officer
序号 | - | form:三会一课情况登记表
编号 | - | officer
备注 | - | form:村集体经济组织收益分配统计表
说明 | - | officer
联系电话 | - | form:党内统计年报表（封面）
手机号码 | - | officer
书记姓名 | - | officer
党组织书记 | - | officer
村主任姓名 | - | officer
第一书记姓名 | - | officer
联系人 | - | officer
填报人 | - | officer
填表人 | - | form:村集体经济组织收益分配统计表
审核人 | - | officer
户籍人口（人） | - | form:村基本情况表
常住人口（人） | - | form:村基本情况表
总人口 | - | officer
村民小组数（个） | - | form:村基本情况表
村民小组（个） | - | officer
耕地面积（亩） | - | form:村基本情况表
林地面积（亩） | - | officer
村域面积（平方公里） | - | officer
辖区面积 | - | officer
外出务工人员（人） | - | officer
脱贫户数（户） | - | officer
低保户数 | - | officer
五保户（户） | - | officer
书记年龄 | - | officer
书记学历 | - | officer
书记任职时间 | - | officer
出生年月 | - | officer
身份证号 | - | officer
入党时间 | - | officer
填报日期 | - | form:村集体经济组织收益分配统计表
得分 | - | officer
考核得分 | - | officer
考核等次 | - | officer
星级 | - | officer
乡镇审核意见 | - | officer
存在问题 | - | officer
整改措施 | - | officer
佐证材料 | - | officer
村集体资产总额（万元） | - | form:村集体经济组织资产负债统计表
村级债务（万元） | - | officer
经营支出（万元） | - | form:村集体经济组织收益分配统计表
管理费用（万元） | - | form:村集体经济组织收益分配统计表
上级补助资金（万元） | - | officer
村干部报酬（元） | - | officer
办公经费（万元） | - | officer
党组织工作经费（万元） | - | officer
党员中女性（人） | - | form:党内统计年报表（党员基本情况）
少数民族党员（人） | - | form:党内统计年报表（党员基本情况）
60岁以上党员（人） | - | officer
预备党员（人） | - | form:党内统计年报表（党员基本情况）
大专以上学历党员（人） | - | form:党内统计年报表（党员学历情况）
党员平均年龄 | - | officer
党小组数（个） | - | officer
党支部数（个） | - | officer
村民代表人数（人） | - | officer
书记主任一肩挑（是/否） | - | officer
村务监督委员会成员数 | - | officer
网格员人数 | - | officer
志愿者人数 | - | officer
活动场所建成时间 | - | officer
活动场所产权（自有/租用） | - | officer
党群服务中心名称 | - | officer
包村领导 | - | officer
第一书记派出单位 | - | officer
党费收缴金额（元） | - | officer
培训经费（万元） | - | officer
年度 | - | officer
填报单位 | - | form:村集体经济组织收益分配统计表
`;
