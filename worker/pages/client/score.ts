// 网页评分 (/score): the Excel add-in's work in a browser, for officers on WPS or without Excel. Choose or
// drop an .xlsx/.csv → it is read here (shared/sheet) → each village table's period and column mapping are
// shown and can be corrected → 评分 with the shared engine → results per village citing the articles →
// the coloured copy (shared/output) → 上报 (POST /api/submissions, shared/submission). Nothing is sent to the
// server before 上报. Signing in happens in place, so the file and everything done with it stay on the page.
import { $, $select, type Child, fill, h, option, show } from './lib/dom.ts';
import {
  analyze,
  colouredCopy,
  detectedPeriod,
  describeRulebook,
  loadFile,
  outputName,
  periodZh,
  rulebookFromAnswer,
  score,
  setColumn,
  sheetModels,
  sheetsToSubmit,
  foreignRows,
  standardsInUse,
  submissionOf,
  townshipOfCodes,
  type LoadedFile,
  type RulebookInUse,
  type SheetModel,
} from './lib/score-model.ts';
import { countyRulebook, NetError, signIn, signOut, submit, townships, whoAmI, type Role, type SignedInUser, type SubmissionAnswer, type Township } from './lib/score-net.ts';
import { legend, outcomePanel, resultPanel, sheetPanel, type MappingHandlers } from './lib/score-view.ts';
import { setStatus } from './lib/status.ts';

const ROLE_NAME: Record<Role, string> = { township: '乡镇干部', county: '县委组织部', finance: '县财政', admin: '县管理员', province: '省级' };
const SIGNED_OUT = '未登录，按默认标准评分；登录后按本县考评细则评分';

const el = {
  dropzone: $('#dropzone'),
  file: $('#file') as HTMLInputElement,
  fileStatus: $('#file-status'),
  fileInfo: $('#file-info'),
  stepMap: $('#step-map'),
  rulebook: $('#rulebook'),
  sheets: $('#sheets'),
  scoreBtn: $('#score-btn') as HTMLButtonElement,
  stepResults: $('#step-results'),
  resultsStatus: $('#results-status'),
  legend: $('#legend'),
  results: $('#results'),
  download: $('#download') as HTMLButtonElement,
  downloadStatus: $('#download-status'),
  stepSubmit: $('#step-submit'),
  submitWho: $('#submit-who'),
  submitForm: $('#submit-form') as HTMLFormElement,
  submitTownshipField: $('#submit-township-field'),
  submitTownship: $select('#submit-township'),
  submitBtn: $('#submit-btn') as HTMLButtonElement,
  submitProgress: $('#submit-progress') as HTMLProgressElement,
  submitStatus: $('#submit-status'),
  submitResults: $('#submit-results'),
  dialog: $('#signin-dialog') as HTMLDialogElement,
  signinForm: $('#signin-form') as HTMLFormElement,
  signinLogin: $('#signin-login') as HTMLInputElement,
  signinPassword: $('#signin-password') as HTMLInputElement,
  signinError: $('#signin-error'),
  signinSubmit: $('#signin-submit') as HTMLButtonElement,
};

// ---------------------------------------------------------------------------------------------
// State

let user: SignedInUser | null = userFromPage();
let file: LoadedFile | undefined;
let sheets: SheetModel[] = [];
/** 评分 was pressed for this file: later corrections re-score at once. */
let scored = false;
let submitting = false;
/** The county's townships (an admin picks one); the signed-in officer's own township. */
let townshipList: Township[] | undefined;
/** Bumped for every file chosen, so that a slower earlier read does not overwrite a later one. */
let generation = 0;
/** Signed out and the sign-in page was opened in another window: check the session when the officer is back. */
let watchingSignIn = false;

const rulebooks = new Map<string, Promise<RulebookInUse>>();

function userFromPage(): SignedInUser | null {
  const d = document.body.dataset;
  const role = d.role as Role | '' | undefined;
  if (!role) return null;
  return { login: d.login ?? '', name: d.name ?? '', role, townshipCode: d.township || null, countyCode: d.county || null };
}

/** The rulebook for a period: the county's in force when signed in (cached per period), else the standards. */
function rulebookFor(period: string): Promise<RulebookInUse> {
  if (!user) return Promise.resolve(standardsInUse(SIGNED_OUT));
  let p = rulebooks.get(period);
  if (!p) {
    p = countyRulebook(period)
      .then((a) => rulebookFromAnswer(a, periodZh(period)))
      .catch((e: unknown) => {
        rulebooks.delete(period);
        if (e instanceof NetError && e.status === 401) {
          user = null;
          renderWho();
          return standardsInUse(`登录已过期，按默认标准评分；请重新登录`);
        }
        return standardsInUse(`未能获取县级考评细则（${e instanceof Error ? e.message : String(e)}），本次按默认标准评分`);
      });
    rulebooks.set(period, p);
  }
  return p;
}

/** Read the sheet with the rulebook in force for its period: the county's when signed in (the period is the
 * officer's choice, or the one found on the sheet), else the standards. */
async function prepare(sheet: SheetModel): Promise<void> {
  if (!file) return;
  let rb = standardsInUse(user ? undefined : SIGNED_OUT);
  if (user) {
    const period = sheet.period ?? detectedPeriod(sheet, file.name);
    if (period) rb = await rulebookFor(period);
  }
  sheet.rulebook = rb;
  analyze(sheet, file.name);
}

async function prepareAll(): Promise<void> {
  await Promise.all(sheets.map(prepare));
  if (scored) for (const s of sheets) score(s);
}

// ---------------------------------------------------------------------------------------------
// Step 1: the file

async function openFile(f: File): Promise<void> {
  const gen = ++generation;
  const isXlsx = /\.xls[xm]$/i.test(f.name);
  setStatus(el.fileStatus, 'loading', `正在读取“${f.name}”…${isXlsx ? '（首次读取 xlsx 工作簿需加载表格组件，请稍候）' : ''}`);
  el.dropzone.classList.add('busy');
  let loaded: LoadedFile;
  try {
    loaded = await loadFile(f);
  } catch (e) {
    if (gen !== generation) return;
    el.dropzone.classList.remove('busy');
    const kept = file ? `\n页面上仍保留之前读取的“${file.name}”。` : '';
    setStatus(el.fileStatus, 'error', `无法读取“${f.name}”：${e instanceof Error ? e.message : String(e)}${kept}`);
    return;
  }
  if (gen !== generation) return;
  const models = sheetModels(loaded, standardsInUse());
  const previous = { file, sheets, scored };
  file = loaded;
  sheets = models;
  scored = false;
  await prepareAll();
  if (gen !== generation) return;
  el.dropzone.classList.remove('busy');
  if (!sheets.some((s) => s.rows || s.error)) {
    const reasons = sheets.map((s) => `工作表“${s.grid.name}”：${s.ignored ?? '没有数据'}`).join('\n');
    const kept = previous.file ? `\n页面上仍保留之前读取的“${previous.file.name}”。` : '';
    setStatus(el.fileStatus, 'error', `在“${loaded.name}”中没有找到村级数据表（需要有“村名”“区划代码”等表头，且至少能对应到2项考评指标）。\n${reasons}${kept}`);
    ({ file, sheets, scored } = previous);
    return;
  }
  setStatus(el.fileStatus, 'ok');
  fill(el.submitResults);
  setStatus(el.submitStatus, 'ok');
  render();
  el.stepMap.scrollIntoView({ block: 'start', behavior: 'smooth' });
}

function renderFileInfo(): void {
  if (!file) return fill(el.fileInfo);
  const kb = file.size < 1024 * 1024 ? `${Math.max(1, Math.round(file.size / 1024))} KB` : `${(file.size / 1024 / 1024).toFixed(1)} MB`;
  const kind = file.format === 'xlsx' ? 'xlsx 工作簿' : `CSV 文本表格${file.grids[0]?.encoding ? `，${file.grids[0].encoding === 'gb18030' ? 'GB18030（GBK）' : file.grids[0].encoding.toUpperCase()} 编码` : ''}`;
  const tables = sheets.filter((s) => s.rows).length;
  const ignored = sheets.filter((s) => s.ignored);
  fill(
    el.fileInfo,
    h(
      'div',
      { class: 'file-card' },
      h('span', { class: 'file-name' }, file.name),
      h('span', { class: 'sub' }, `${kind}，${kb}；${file.format === 'xlsx' ? `共 ${file.grids.length} 张工作表，` : ''}找到 ${tables} 张村级数据表`),
    ),
    ignored.length
      ? h(
          'details',
          { class: 'ignored' },
          h('summary', null, `未作为村级数据的工作表 ${ignored.length} 张`),
          h('ul', { class: 'plain' }, ignored.map((s) => h('li', null, `“${s.grid.name}”：${s.ignored}`))),
        )
      : null,
  );
}

// ---------------------------------------------------------------------------------------------
// Step 2: periods and mapping

const handlers: MappingHandlers = {
  onColumn(sheet, letter, input) {
    setColumn(sheet, letter, input);
    void refreshSheet(sheet, `.map-select[data-col="${letter}"]`);
  },
  onPeriod(sheet, period) {
    sheet.period = period;
    void refreshSheet(sheet, period ? '.period-part' : '.period-year');
  },
  onReset(sheet) {
    sheet.override = {};
    void refreshSheet(sheet, '.map-select');
  },
};

/** After a correction: read the sheet again, re-score if scored, and put the focus back where it was. */
async function refreshSheet(sheet: SheetModel, focus: string): Promise<void> {
  const gen = generation;
  await prepare(sheet);
  if (gen !== generation) return;
  if (scored) score(sheet);
  render();
  document.querySelector<HTMLElement>(`#sheets .sheet[data-sheet="${sheet.index}"] ${focus}`)?.focus();
  if (scored) setStatus(el.resultsStatus, 'info', `已按修改后的${focus.includes('period') ? '期次' : '对应关系'}重新评分（工作表“${sheet.grid.name}”）。`);
}

function renderRulebookLine(): void {
  const used = [...new Map(sheets.filter((s) => s.rows).map((s) => [describeRulebook(s.rulebook), s.rulebook])).entries()];
  const why = [...new Set(sheets.filter((s) => s.rows && s.rulebook.why).map((s) => s.rulebook.why!))];
  fill(
    el.rulebook,
    h('strong', null, '评分依据：'),
    used.map(([d]) => d).join('、') || describeRulebook(standardsInUse()),
    why.length ? h('span', { class: 'sub' }, `（${why.join('；')}）`) : null,
    !user ? [' ', h('button', { type: 'button', class: 'small', onclick: openSignIn }, '登录')] : null,
  );
  el.rulebook.className = `rulebook-line ${used.some(([, r]) => r.kind === 'county') ? 'rb-county' : 'rb-standards'}`;
}

// ---------------------------------------------------------------------------------------------
// Step 3: results and the coloured copy

function renderResults(): void {
  const done = sheets.filter((s) => s.scored);
  show(el.stepResults, scored && done.length > 0);
  if (!scored) return;
  if (!el.legend.childElementCount) fill(el.legend, legend());
  fill(el.results, done.map(resultPanel));
}

async function runScore(): Promise<void> {
  if (!file) return;
  scored = true;
  for (const s of sheets) score(s);
  fill(el.submitResults);
  setStatus(el.submitStatus, 'ok');
  setStatus(el.resultsStatus, 'ok');
  render();
  const n = sheets.reduce((k, s) => k + (s.scored?.villages.length ?? 0), 0);
  setStatus(el.resultsStatus, 'info', `已评分：${n} 个村。点击“展开”查看每个村未达标、待补、待评的项目及所依据的条款。`);
  el.stepResults.scrollIntoView({ block: 'start', behavior: 'smooth' });
}

async function download(): Promise<void> {
  if (!file || !sheets.some((s) => s.scored)) return;
  const name = outputName(file.name);
  el.download.disabled = true;
  setStatus(el.downloadStatus, 'loading', '正在生成着色表格…');
  try {
    const bytes = await colouredCopy(file, sheets);
    const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }));
    const a = h('a', { href: url, download: name, hidden: true });
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    setStatus(el.downloadStatus, 'info', `已生成“${name}”（${Math.max(1, Math.round(bytes.length / 1024))} KB），请在浏览器的下载列表中查看。原文件“${file.name}”没有改动。`);
  } catch (e) {
    setStatus(el.downloadStatus, 'error', `生成着色表格失败：${e instanceof Error ? e.message : String(e)}`);
  } finally {
    el.download.disabled = false;
  }
}

// ---------------------------------------------------------------------------------------------
// Step 4: submitting

function canSubmit(u: SignedInUser | null): boolean {
  return !!u && ((u.role === 'township' && !!u.townshipCode) || u.role === 'admin');
}

async function loadTownships(): Promise<void> {
  if (!user || townshipList || !canSubmit(user)) return;
  try {
    townshipList = (await townships()).townships;
  } catch {
    townshipList = user.townshipCode ? [{ code: user.townshipCode, name: user.townshipCode }] : [];
  }
}

function renderSubmit(): void {
  const ready = scored && sheets.some((s) => s.scored?.villages.length);
  show(el.stepSubmit, ready);
  if (!ready) return;
  if (!user) {
    fill(
      el.submitWho,
      h(
        'p',
        { class: 'signin-note' },
        '上报需要登录（乡镇干部或县管理员账号）。在本页登录后，已读取的文件、改正的对应关系和评分结果都会保留。 ',
        h('button', { type: 'button', class: 'primary', id: 'submit-signin', onclick: openSignIn }, '登录后上报'),
        ' ',
        h('a', { href: '/login?next=%2Fscore', target: '_blank', rel: 'noopener', onclick: () => (watchingSignIn = true) }, '在新窗口打开登录页'),
      ),
    );
    show(el.submitForm, false);
    return;
  }
  if (!canSubmit(user)) {
    fill(el.submitWho, h('p', { class: 'status status-error' }, `您的账号（${user.name}，${ROLE_NAME[user.role]}）不能上报；上报请使用乡镇干部或县管理员账号。`));
    show(el.submitForm, false);
    return;
  }
  show(el.submitForm, true);
  const list = townshipList ?? [];
  let township: string | undefined;
  const who: Child[] = [];
  if (user.role === 'township') {
    township = user.townshipCode ?? undefined;
    const t = list.find((x) => x.code === township);
    who.push(h('p', null, '上报单位：', h('strong', { id: 'submit-unit' }, t ? `${t.name}（${t.code}）` : township), `　经办人：${user.name}`));
    show(el.submitTownshipField, false);
  } else {
    who.push(h('p', null, `经办人：${user.name}（${ROLE_NAME[user.role]}），请选择上报的乡镇。`));
    const guess = townshipOfCodes(sheets);
    const current = el.submitTownship.value || (guess && list.some((t) => t.code === guess) ? guess : '');
    fill(el.submitTownship, option('', '请选择乡镇'), list.map((t) => option(t.code, `${t.name}（${t.code}）`, t.code === current)));
    show(el.submitTownshipField, true);
    township = current || undefined;
  }
  // Which sheets: all scored sheets with villages, a sheet hidden in Excel only when ticked.
  const candidates = sheets.filter((s) => s.scored?.villages.length);
  if (candidates.length > 1) {
    who.push(
      h(
        'fieldset',
        { class: 'sheet-pick' },
        h('legend', null, '上报哪些工作表'),
        candidates.map((s) => {
          const box = h('input', { type: 'checkbox', 'data-sheet': s.index });
          box.checked = s.submit ?? !s.grid.hidden;
          box.addEventListener('change', () => {
            s.submit = box.checked;
            renderSubmit();
          });
          return h('label', { class: 'field check' }, box, h('span', null, `工作表“${s.grid.name}”（${s.scored!.period.labelZh}，${s.scored!.villages.length} 个村）${s.grid.hidden ? '，在 Excel 中为隐藏的工作表' : ''}`));
        }),
      ),
    );
  }
  const targets = sheetsToSubmit(sheets);
  const foreign = township ? foreignRows(targets, township) : 0;
  if (foreign) {
    const t = list.find((x) => x.code === township);
    who.push(h('p', { class: 'warn-text', id: 'submit-warning' }, `注意：要上报的 ${targets.reduce((k, s) => k + s.scored!.villages.length, 0)} 行中有 ${foreign} 行没有填写区划代码，或区划代码不属于${t ? t.name : ''}（${township}），上报后这些行会被退回。`));
  }
  fill(el.submitWho, who);
  el.submitBtn.textContent = targets.length > 1 ? `上报 ${targets.length} 张表` : '上报';
  el.submitBtn.disabled = submitting || targets.length === 0;
}

async function runSubmit(): Promise<void> {
  if (!file || !user || submitting) return;
  const township = user.role === 'township' ? user.townshipCode : el.submitTownship.value;
  if (!township) {
    setStatus(el.submitStatus, 'error', '请先选择上报的乡镇。');
    el.submitTownship.focus();
    return;
  }
  const targets = sheetsToSubmit(sheets);
  if (!targets.length) return;
  submitting = true;
  el.submitBtn.disabled = true;
  fill(el.submitResults);
  el.submitProgress.max = targets.length;
  el.submitProgress.value = 0;
  show(el.submitProgress, true);
  const answers: { sheet: SheetModel; answer: SubmissionAnswer }[] = [];
  let failed: string | undefined;
  try {
    for (const [i, s] of targets.entries()) {
      setStatus(el.submitStatus, 'loading', `正在上报${targets.length > 1 ? ` ${i + 1}/${targets.length}` : ''}：工作表“${s.grid.name}”（${s.rows!.rows.length} 行，${s.scored!.period.labelZh}）…`);
      try {
        const answer = await submit(submissionOf(s, township, file.name));
        answers.push({ sheet: s, answer });
        el.submitResults.append(outcomePanel(s.grid.name, answer));
      } catch (e) {
        if (e instanceof NetError && e.status === 401) {
          user = null;
          renderWho();
          failed = '登录已过期，未能上报。请重新登录后再点“上报”，本页内容都还在。';
          openSignIn();
        } else {
          failed = `工作表“${s.grid.name}”上报失败：${e instanceof Error ? e.message : String(e)}`;
        }
        break;
      }
      el.submitProgress.value = i + 1;
    }
  } finally {
    submitting = false;
    show(el.submitProgress, false);
  }
  const accepted = answers.reduce((k, a) => k + a.answer.submission.rows.accepted, 0);
  const rejected = answers.reduce((k, a) => k + a.answer.submission.rows.rejected, 0);
  if (failed) setStatus(el.submitStatus, 'error', answers.length ? `${failed}\n此前的 ${answers.length} 张表已上报。` : failed);
  else if (answers.every((a) => a.answer.submission.duplicate)) setStatus(el.submitStatus, 'info', '这些数据此前已上报过，本次未重复计入。');
  else setStatus(el.submitStatus, rejected ? 'error' : 'info', `上报完成：接收 ${accepted} 行${rejected ? `，退回 ${rejected} 行（见下表的单元格和原因，改正后可重新上报）` : ''}。`);
  if (answers.length) el.submitResults.append(h('p', { class: 'note' }, h('a', { href: '/submissions' }, '查看上报记录')));
  renderSubmit();
}

// ---------------------------------------------------------------------------------------------
// Signing in and out, in place

function openSignIn(): void {
  el.signinError.hidden = true;
  if (!el.dialog.open) el.dialog.showModal();
  el.signinLogin.focus();
}

async function signedIn(u: SignedInUser | null): Promise<void> {
  user = u;
  watchingSignIn = false;
  rulebooks.clear();
  townshipList = undefined;
  const d = document.body.dataset;
  d.role = u?.role ?? '';
  d.login = u?.login ?? '';
  d.name = u?.name ?? '';
  d.township = u?.townshipCode ?? '';
  d.county = u?.countyCode ?? '';
  renderWho();
  await Promise.all([prepareAll(), loadTownships()]);
  fill(el.submitResults);
  setStatus(el.submitStatus, 'ok');
  render();
  if (scored) {
    const used = [...new Set(sheets.filter((s) => s.scored).map((s) => describeRulebook(s.rulebook)))].join('、');
    setStatus(el.resultsStatus, 'info', u ? `已登录（${u.name}），已按${used}重新评分。` : `已退出登录，已按${used}重新评分。`);
  }
}

/** The header's sign-in area: on the signed-out page it is ours to fill; on the signed-in shell only the
 * sign-out button is ours (the menu stays as the server rendered it). */
function renderWho(): void {
  const who = document.querySelector('.top .who');
  if (!who) return;
  const nav = document.querySelector<HTMLElement>('.top .nav');
  if (nav) nav.hidden = !user;
  if (user) {
    fill(
      who,
      h('span', { class: 'who-name' }, user.name),
      h('span', { class: 'who-role' }, ROLE_NAME[user.role]),
      h('button', { type: 'button', id: 'logout', class: 'link', onclick: () => void logout() }, '退出'),
    );
  } else {
    fill(
      who,
      h('span', { class: 'who-name' }, '未登录'),
      h(
        'a',
        {
          class: 'link-button',
          href: '/login?next=%2Fscore',
          id: 'signin-open',
          onclick: (ev: Event) => {
            ev.preventDefault();
            openSignIn();
          },
        },
        '登录',
      ),
    );
  }
}

async function logout(): Promise<void> {
  try {
    await signOut();
  } catch {
    // signed out either way on this page
  }
  await signedIn(null);
}

el.signinForm.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  el.signinError.hidden = true;
  el.signinSubmit.disabled = true;
  el.signinSubmit.textContent = '正在登录…';
  try {
    const u = await signIn(el.signinLogin.value.trim(), el.signinPassword.value);
    el.signinPassword.value = '';
    el.dialog.close();
    await signedIn(u);
    if (canSubmit(u)) el.submitBtn.focus();
  } catch (e) {
    el.signinError.textContent = e instanceof Error ? e.message : String(e);
    el.signinError.hidden = false;
    el.signinPassword.select();
  } finally {
    el.signinSubmit.disabled = false;
    el.signinSubmit.textContent = '登录';
  }
});
$('#signin-cancel').addEventListener('click', () => el.dialog.close());
$('#signin-page').addEventListener('click', () => {
  watchingSignIn = true;
  el.dialog.close();
});

// Signed in on the sign-in page in another window: pick the session up when the officer comes back.
async function checkSession(): Promise<void> {
  if (user || !watchingSignIn || document.visibilityState !== 'visible') return;
  try {
    const u = await whoAmI();
    if (u && !user) await signedIn(u);
  } catch {
    // not reachable now; try again next time
  }
}
document.addEventListener('visibilitychange', () => void checkSession());
window.addEventListener('focus', () => void checkSession());

// ---------------------------------------------------------------------------------------------
// Wiring

function render(): void {
  renderFileInfo();
  show(el.stepMap, !!file);
  if (file) {
    renderRulebookLine();
    fill(
      el.sheets,
      sheets.filter((s) => s.rows || s.error).map((s) => sheetPanel(s, file!.name, handlers)),
    );
    el.scoreBtn.textContent = scored ? '重新评分' : '评分';
  }
  renderResults();
  renderSubmit();
}

el.file.addEventListener('change', () => {
  const f = el.file.files?.[0];
  if (f) void openFile(f);
  // The same file can be chosen again (after correcting it in Excel/WPS).
  el.file.value = '';
});

// Dropping a file anywhere on the page opens it; the browser must never navigate to the dropped file
// (that would leave the page and everything done on it).
function hasFiles(ev: DragEvent): boolean {
  return [...(ev.dataTransfer?.types ?? [])].includes('Files');
}
window.addEventListener('dragover', (ev) => {
  if (!hasFiles(ev)) return;
  ev.preventDefault();
  if (ev.dataTransfer) ev.dataTransfer.dropEffect = 'copy';
  el.dropzone.classList.add('over');
});
window.addEventListener('dragleave', (ev) => {
  if (ev.relatedTarget === null) el.dropzone.classList.remove('over');
});
window.addEventListener('drop', (ev) => {
  if (!hasFiles(ev)) return;
  ev.preventDefault();
  el.dropzone.classList.remove('over');
  const f = ev.dataTransfer?.files[0];
  if (f) void openFile(f);
});

el.scoreBtn.addEventListener('click', () => void runScore());
el.download.addEventListener('click', () => void download());
el.submitForm.addEventListener('submit', (ev) => {
  ev.preventDefault();
  void runSubmit();
});
el.submitTownship.addEventListener('change', () => {
  setStatus(el.submitStatus, 'ok');
  renderSubmit();
});

renderWho();
void loadTownships().then(() => renderSubmit());
