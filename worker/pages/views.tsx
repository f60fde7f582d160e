/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
// The static part of each dashboard page: filters, empty panels and forms. The page's script fills them
// from the JSON API (docs/api.md). Element ids are the contract between this file and worker/pages/client/.
import type { Child } from 'hono/jsx';
import { html } from 'hono/html';
import type { User } from '../env.ts';
import { METHOD_LABELS } from '../../shared/allocation/explain.ts';
import { APP_NAME, Bare, Page, type PageContext } from './layout.tsx';

function Panel(props: { title: string; id?: string; note?: string; children?: Child; class?: string }) {
  return (
    <section class={`panel ${props.class ?? ''}`.trim()} id={props.id}>
      <h2>{props.title}</h2>
      {props.note ? <p class="note">{props.note}</p> : null}
      {props.children}
    </section>
  );
}

function Status(props: { id: string }) {
  return <p class="status status-loading" id={props.id} role="status" aria-live="polite">正在加载…</p>;
}

function Tools(props: { children?: Child; print?: boolean; csv?: boolean }) {
  return (
    <form class="toolbar no-print" role="search" id="filters">
      {props.children}
      <span class="spacer"></span>
      {props.csv ? (
        <button type="button" id="export-csv">
          导出 CSV
        </button>
      ) : null}
      {props.print !== false ? (
        <button type="button" id="print">
          打印
        </button>
      ) : null}
    </form>
  );
}

function Select(props: { id: string; label: string; children?: Child }) {
  return (
    <label class="field">
      <span>{props.label}</span>
      <select id={props.id} name={props.id}>
        {props.children ?? <option value="">正在加载…</option>}
      </select>
    </label>
  );
}

export function LoginView(props: { next: string; notice?: string }) {
  return (
    <Bare title="登录" script="login">
      <div class="login-box">
        <h1>{APP_NAME}</h1>
        <p class="login-sub">县级工作台 · 县委组织部 · 县财政 · 乡镇</p>
        {props.notice ? <p class="status status-info">{props.notice}</p> : null}
        <form id="login-form" method="post" action="/login">
          <input type="hidden" name="next" id="next" value={props.next} />
          <label class="field block">
            <span>账号</span>
            <input id="login" name="login" autocomplete="username" required maxlength={100} autofocus />
          </label>
          <label class="field block">
            <span>密码</span>
            <input id="password" name="password" type="password" autocomplete="current-password" required maxlength={200} />
          </label>
          <p class="status status-error" id="login-error" role="alert" hidden></p>
          <button type="submit" class="primary" id="login-submit">
            登录
          </button>
        </form>
      </div>
    </Bare>
  );
}

export function OverviewView(props: { user: User; ctx?: PageContext }) {
  return (
    <Page user={props.user} path="/" title="总览" script="overview" wide ctx={props.ctx}>
      <Tools>
        <Select id="period" label="半年度" />
      </Tools>
      <Status id="status" />
      <section class="cards" id="cards" aria-label="主要指标"></section>
      <div class="grid2">
        <Panel title="乡镇综合得分排名" note="综合得分＝村级平均分与观摩评议得分按县考评细则的权重合成。">
          <div class="chart" id="chart-rank"></div>
        </Panel>
        <Panel title="各乡镇达标率、示范率" note="五好目标：达标村占比 80% 以上（虚线），争创 90%（点线）。">
          <div class="chart" id="chart-rates"></div>
        </Panel>
      </div>
      <Panel title="乡镇得分走势">
        <Status id="trend-status" />
        <div class="chart" id="chart-trend"></div>
      </Panel>
      <Panel title="未达目标的乡镇" id="below-panel">
        <div id="below"></div>
      </Panel>
    </Page>
  );
}

export function VillagesView(props: { user: User; ctx?: PageContext }) {
  return (
    <Page user={props.user} path="/villages" title="村级排名" script="villages" wide ctx={props.ctx}>
      <Tools csv>
        <Select id="period" label="季度" />
        <Select id="township" label="乡镇" />
        <Select id="group" label="分组">
          <option value="">全部</option>
          <option value="示范">示范</option>
          <option value="中间">中间</option>
          <option value="后进">后进</option>
        </Select>
        <label class="field check">
          <input type="checkbox" id="weak-only" />
          <span>只看软弱涣散候选</span>
        </label>
      </Tools>
      <Status id="status" />
      <p class="summary" id="summary"></p>
      <Panel title="村级得分" id="chart-panel">
        <div class="chart" id="chart"></div>
      </Panel>
      <Panel title="排名表" note="名次为乡镇内名次（并列同名次，如 1、2、2、4）；县内名次为全县排序。升降与上一季度比较。">
        <div class="table-wrap" id="table"></div>
        <details class="rules">
          <summary>排名、等次、分组与软弱涣散的判定规则</summary>
          <ul class="notes" id="rules"></ul>
        </details>
      </Panel>
    </Page>
  );
}

export function TownshipsView(props: { user: User; ctx?: PageContext }) {
  return (
    <Page user={props.user} path="/townships" title="乡镇排名" script="townships" wide ctx={props.ctx}>
      <Tools csv>
        <Select id="period" label="半年度" />
      </Tools>
      <Status id="status" />
      <p class="summary" id="summary"></p>
      <ul class="notes" id="formula"></ul>
      <Panel title="乡镇综合得分">
        <div class="chart" id="chart"></div>
      </Panel>
      <Panel title="排名表" note="达标率目标 80%，争创 90%；红色为低于目标。升降与上一半年度比较。">
        <div class="table-wrap" id="table"></div>
      </Panel>
    </Page>
  );
}

export function LedgerView(props: { user: User; canEdit: boolean }) {
  return (
    <Page user={props.user} path="/ledger" title="整改台账" script="ledger" wide>
      <Tools csv>
        <Select id="township" label="乡镇" />
        <Select id="status-filter" label="状态">
          <option value="open">未销号</option>
          <option value="closed">已销号</option>
          <option value="">全部</option>
        </Select>
        <label class="field check">
          <input type="checkbox" id="overdue" />
          <span>只看逾期</span>
        </label>
        <label class="field">
          <span>村名或条款</span>
          <input type="search" id="search" maxlength={50} placeholder="筛选…" />
        </label>
      </Tools>
      <Status id="status" />
      <p class="summary" id="summary"></p>
      <div class="table-wrap" id="table"></div>
      {props.canEdit ? (
        <dialog id="item-dialog" class="dialog">
          <form method="dialog" id="item-form">
            <h2 id="dialog-title">整改事项</h2>
            <p class="dialog-item" id="dialog-item"></p>
            <label class="field block">
              <span id="dialog-label">内容</span>
              <textarea id="dialog-text" rows={4} maxlength={2000} required></textarea>
            </label>
            <p class="status status-error" id="dialog-error" hidden></p>
            <div class="actions">
              <button type="submit" class="primary" id="dialog-ok" value="ok">
                保存
              </button>
              <button type="button" id="dialog-cancel">
                取消
              </button>
            </div>
          </form>
        </dialog>
      ) : null}
    </Page>
  );
}

export function ObservationsView(props: { user: User }) {
  return (
    <Page user={props.user} path="/observations" title="观摩评议" script="observations" wide>
      <Panel title="新建评议轮次" class="no-print">
        <form class="toolbar" id="round-form">
          <Select id="round-level" label="对象">
            <option value="township">乡镇</option>
            <option value="village">村</option>
          </Select>
          <label class="field">
            <span>期次</span>
            <input id="round-period" name="period" required pattern="\d{4}(Q[1-4]|H[12])" placeholder="2026H1" maxlength={6} size={8} />
          </label>
          <label class="field grow">
            <span>名称</span>
            <input id="round-title" name="title" required maxlength={100} placeholder="如：2026年上半年“三互”观摩评议" />
          </label>
          <button type="submit" class="primary">
            新建
          </button>
        </form>
        <p class="status" id="round-status" hidden></p>
      </Panel>
      <Tools>
        <Select id="period" label="期次" />
      </Tools>
      <Status id="status" />
      <p class="note" id="rule"></p>
      <div id="rounds"></div>
    </Page>
  );
}

export function AllocationsView(props: { user: User; canEdit: boolean }) {
  return (
    <Page user={props.user} path="/allocations" title="以奖代补" script="allocations" wide>
      {props.canEdit ? <AllocationForm /> : <p class="note">县财政和县管理员可以计算、保存分配方案；这里可查看和下载已保存的方案。</p>}
      <Status id="status" />
      <Panel title="已保存的分配方案" note="每次保存都是一个不可修改的新版本，记录经办人、时间、输入参数、考评细则版本和所用排名。">
        <Status id="list-status" />
        <div class="table-wrap" id="saved"></div>
      </Panel>
      <section class="panel" id="detail" hidden>
        <h2 id="detail-title">方案详情</h2>
        <p class="note" id="detail-basis"></p>
        <div class="cards" id="detail-cards"></div>
        <ul class="notes" id="detail-notes"></ul>
        <div class="table-wrap" id="detail-table"></div>
      </section>
    </Page>
  );
}

function AllocationForm() {
  return (
    <>
      <Panel title="分配方案" class="no-print">
        <form id="alloc-form" class="alloc-form">
          <div class="toolbar">
            <Select id="level" label="对象">
              <option value="village">村（按季度排名）</option>
              <option value="township">乡镇（按半年度排名）</option>
            </Select>
            <Select id="period" label="期次" />
            <Select id="alloc-township" label="范围">
              <option value="">全县</option>
            </Select>
            <label class="field">
              <span>预算（元）</span>
              <input id="budget" name="budget" type="number" min={1} step={1} required value="100000" class="money" />
            </label>
            <Select id="method" label="分配办法">
              {(['proportional', 'tiers', 'rankPoints', 'basePlusTopUp'] as const).map((k) => (
                <option value={k}>{METHOD_LABELS[k]}</option>
              ))}
            </Select>
            <Select id="rounding" label="取整单位">
              <option value="1">元</option>
              <option value="10">十元</option>
              <option value="100">百元</option>
              <option value="1000">千元</option>
            </Select>
          </div>
          <fieldset class="method-params" id="params-base" hidden>
            <legend>基础奖励</legend>
            <label class="field">
              <span>每个单位（元）</span>
              <input id="base" type="number" min={0} step={1} value="2000" class="money" />
            </label>
            <label class="field check">
              <input type="checkbox" id="base-use-points" />
              <span>追加部分按名次分值（否则按得分）</span>
            </label>
          </fieldset>
          <fieldset class="method-params" id="params-tiers" hidden>
            <legend>分档定额（名次从第1名起连续，金额不递增）</legend>
            <div id="tiers"></div>
            <button type="button" id="add-tier">
              加一档
            </button>
            <label class="field">
              <span>超出预算时</span>
              <select id="on-overflow">
                <option value="error">提示错误</option>
                <option value="scale">等比例缩减</option>
              </select>
            </label>
          </fieldset>
          <fieldset class="method-params" id="params-points" hidden>
            <legend>名次分值</legend>
            <div id="points"></div>
            <button type="button" id="add-point">
              加一档
            </button>
          </fieldset>
          <fieldset class="method-params">
            <legend>参与条件与上下限</legend>
            <label class="field check">
              <input type="checkbox" id="exclude-veto" checked />
              <span>一票否决的不参与</span>
            </label>
            <label class="field check">
              <input type="checkbox" id="exclude-weak" checked />
              <span>软弱涣散的不参与</span>
            </label>
            <label class="field">
              <span>最低得分（含）</span>
              <input id="min-score" type="number" min={0} step="0.01" placeholder="不限" />
            </label>
            <label class="field">
              <span>参与等次</span>
              <input id="min-level" placeholder="不限，如：好,较好" maxlength={100} />
            </label>
            <label class="field">
              <span>每个单位最少（元）</span>
              <input id="floor" type="number" min={0} step={1} placeholder="不限" class="money" />
            </label>
            <label class="field">
              <span>每个单位最多（元）</span>
              <input id="cap" type="number" min={0} step={1} placeholder="不限" class="money" />
            </label>
            <label class="field check">
              <input type="checkbox" id="redistribute" />
              <span>封顶省下的金额再分给未封顶单位（否则计入结余）</span>
            </label>
          </fieldset>
          <div class="actions">
            <button type="submit" class="primary" id="preview-btn">
              预览分配
            </button>
          </div>
        </form>
      </Panel>
      <section class="panel" id="preview" hidden>
        <h2 id="preview-title">分配预览</h2>
        <p class="note" id="preview-basis"></p>
        <div class="cards" id="preview-cards"></div>
        <ul class="notes" id="preview-notes"></ul>
        <div class="table-wrap" id="preview-table"></div>
        <form class="toolbar no-print" id="save-form">
          <label class="field grow">
            <span>方案名称</span>
            <input id="save-title" required maxlength={100} placeholder="如：2026年第三季度村级以奖代补" />
          </label>
          <button type="submit" class="primary" id="save-btn">
            保存为新版本
          </button>
          <p class="status" id="save-status" hidden></p>
        </form>
      </section>
    </>
  );
}

export function SubmissionsView(props: { user: User; canUpload: boolean }) {
  return (
    <Page user={props.user} path="/submissions" title="上报记录" script="submissions" wide>
      {props.canUpload ? (
        <Panel title="上报考评表" class="no-print" note="上传本乡镇的考评表（Excel、WPS 的 .xlsx/.xls、.ods、系统导出的网页表格或 .csv 均可）。同一份文件重复上传只记一次。">
          <form class="toolbar" id="upload-form" enctype="multipart/form-data">
            <label class="field grow">
              <span>文件</span>
              <input type="file" id="upload-file" name="file" accept=".xlsx,.xlsm,.xls,.xlsb,.et,.ods,.xml,.htm,.html,.csv,.txt" required />
            </label>
            <label class="field">
              <span>期次（可不填）</span>
              <input id="upload-period" name="period" pattern="\d{4}(Q[1-4]|H[12])?" placeholder="2026Q3" maxlength={6} size={8} />
            </label>
            <Select id="upload-township" label="乡镇" />
            <button type="submit" class="primary">
              上报
            </button>
          </form>
          <p class="status" id="upload-status" hidden></p>
        </Panel>
      ) : null}
      <Tools>
        <Select id="township" label="乡镇" />
        <Select id="period" label="期次" />
      </Tools>
      <Status id="status" />
      <div class="table-wrap" id="table"></div>
      <section class="panel" id="detail" hidden>
        <h2 id="detail-title">上报详情</h2>
        <p class="summary" id="detail-summary"></p>
        <div class="table-wrap" id="detail-table"></div>
      </section>
    </Page>
  );
}

/** 网页评分 (/score): score an officer's own workbook (any format the shared reader takes) in the browser, with the same engine as the Excel
 * add-in, download the coloured copy and submit the rows. Works signed-out (default standards, no submitting);
 * signed-in it scores by the county rulebook in force. The file never leaves the browser until 上报. */
export function ScoreView(props: { user: User | null }) {
  const body = <ScoreBody signedIn={!!props.user} />;
  if (props.user) {
    return (
      <Page user={props.user} path="/score" title="网页评分" script="score" wide>
        {body}
      </Page>
    );
  }
  return <PublicPage title="网页评分" script="score">{body}</PublicPage>;
}

/** The shell of a page that works without signing in: the same header band, a sign-in button instead of the
 * menu (the page's script signs in in place, so nothing on the page is lost). */
function PublicPage(props: { title: string; script: string; children?: Child }) {
  return (
    <>
      {html`<!DOCTYPE html>`}
      <html lang="zh-CN">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="color-scheme" content="light" />
          <title>{`${props.title} — ${APP_NAME}`}</title>
          <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
          <link rel="stylesheet" href="/app.css" />
          <script type="module" src={`/assets/${props.script}.js`}></script>
        </head>
        <body data-page={props.script} data-role="" data-login="" data-name="" data-township="" data-county="">
          <header class="top">
            <a class="brand" href="/score">
              {APP_NAME}
              <span class="brand-sub">{props.title}</span>
            </a>
            <span class="spacer"></span>
            <div class="who" id="who">
              <span class="who-name">未登录</span>
              <a class="link-button" href="/login?next=%2Fscore" id="signin-open">
                登录
              </a>
            </div>
          </header>
          <main class="main wide">
            <div class="page-head">
              <h1>{props.title}</h1>
            </div>
            <noscript>
              <p class="status status-error">此页面需要启用 JavaScript。</p>
            </noscript>
            {props.children}
          </main>
        </body>
      </html>
    </>
  );
}

function ScoreBody(props: { signedIn: boolean }) {
  return (
    <div class="score-app" id="score-app">
      <p class="lead">
        用浏览器为本乡镇的考评表评分，与 Excel 插件使用同一套考评规则：文件只在本机读取和评分，点击“上报”之前不会发送到服务器，原文件不会被改动。
        {props.signedIn ? null : '未登录时按默认标准评分；登录后按本县考评细则评分并可上报。'}
      </p>
      <section class="panel step" id="step-file" aria-labelledby="step-file-title">
        <h2 id="step-file-title">
          <span class="step-no">1</span>选择考评表
        </h2>
        <label class="dropzone" id="dropzone">
          <span class="dz-title">把考评表文件拖到这里，或点击选择文件</span>
          <span class="dz-sub" id="formats">支持 Excel、WPS 保存的 .xlsx、.xlsm、旧版 .xls、.xlsb，OpenDocument 的 .ods，Excel 2003 XML，系统导出的网页表格（扩展名为 .xls，含 GBK 编码）和 .csv 文件（含 GBK/GB18030 编码）。无需另存。</span>
          <span class="button primary dz-button">选择文件…</span>
          <input type="file" id="file" name="file" class="visually-hidden" accept=".xlsx,.xlsm,.xls,.xlsb,.et,.ods,.xml,.htm,.html,.csv,.txt" />
        </label>
        <p class="status" id="file-status" role="status" aria-live="polite" hidden></p>
        <div id="file-info"></div>
      </section>
      <section class="panel step" id="step-map" aria-labelledby="step-map-title" hidden>
        <h2 id="step-map-title">
          <span class="step-no">2</span>核对各列对应的考评指标
        </h2>
        <p class="note">系统按表头自动识别各列对应的指标；识别有误的，请在“对应指标”下拉框中改正，不需要评分的列选“不参与评分”。期次决定按月、季、年计的次数要求，请一并核对。</p>
        <p class="rulebook-line" id="rulebook" role="status" aria-live="polite"></p>
        <div id="sheets"></div>
        <div class="actions">
          <button type="button" class="primary big" id="score-btn">
            评分
          </button>
        </div>
      </section>
      <section class="panel step" id="step-results" aria-labelledby="step-results-title" hidden>
        <h2 id="step-results-title">
          <span class="step-no">3</span>评分结果
        </h2>
        <p class="status" id="results-status" role="status" aria-live="polite" hidden></p>
        <ul class="legend" id="legend" aria-label="颜色说明"></ul>
        <div id="results"></div>
        <div class="actions">
          <button type="button" class="primary" id="download">
            下载着色表格
          </button>
          <span class="note" id="download-note">下载的是一份副本：达标、未达标、待补、待评的单元格按颜色标出并附批注，另加“考评结果”和“整改台账”两张表；原文件不变。</span>
        </div>
        <p class="status" id="download-status" role="status" aria-live="polite" hidden></p>
      </section>
      <section class="panel step" id="step-submit" aria-labelledby="step-submit-title" hidden>
        <h2 id="step-submit-title">
          <span class="step-no">4</span>上报到县里
        </h2>
        <p class="note">上报的是各村的原始数据，县里用同一套考评细则重新评分；区划代码不属于上报乡镇的行会被退回，并说明原因。</p>
        <div id="submit-who"></div>
        <form class="toolbar" id="submit-form">
          <label class="field" id="submit-township-field" hidden>
            <span>上报乡镇</span>
            <select id="submit-township" name="township"></select>
          </label>
          <button type="submit" class="primary" id="submit-btn">
            上报
          </button>
          <progress id="submit-progress" max={1} value={0} hidden></progress>
        </form>
        <p class="status" id="submit-status" role="status" aria-live="polite" hidden></p>
        <div id="submit-results"></div>
      </section>
      <dialog id="signin-dialog" class="dialog">
        <form method="dialog" id="signin-form">
          <h2>登录后上报</h2>
          <p class="note">在本页登录，已读取的文件、改正的对应关系和评分结果都会保留。</p>
          <label class="field block">
            <span>账号</span>
            <input id="signin-login" name="login" autocomplete="username" required maxlength={100} />
          </label>
          <label class="field block">
            <span>密码</span>
            <input id="signin-password" name="password" type="password" autocomplete="current-password" required maxlength={200} />
          </label>
          <p class="status status-error" id="signin-error" role="alert" hidden></p>
          <div class="actions">
            <button type="submit" class="primary" id="signin-submit" value="ok">
              登录
            </button>
            <button type="button" id="signin-cancel">
              取消
            </button>
            <a href="/login?next=%2Fscore" target="_blank" rel="noopener" id="signin-page">
              在新窗口打开登录页
            </a>
          </div>
        </form>
      </dialog>
    </div>
  );
}
