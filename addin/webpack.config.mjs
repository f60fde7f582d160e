// Builds the task pane into dist/addin/ (taskpane.html, the bundle, help.html, CSS, icons, a copy of manifest.xml and
// the Excel part of Office.js for use without the CDN), and serves it on https://localhost:3000 for sideloading.
//   npm run build:addin   → webpack --config addin/webpack.config.mjs --mode production
//   npm run dev:addin     → webpack serve --config addin/webpack.config.mjs --mode development
// HTTPS certificate for the dev server: office-addin-dev-certs (a local CA trusted by the system, the usual
// choice for sideloading); where it cannot install its CA (no sudo, a container, CI), or with
// KAOPING_DEV_CERTS=self, webpack-dev-server's own self-signed certificate is used instead (accept it once
// in the browser; desktop Excel needs the trusted one).
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import HtmlWebpackPlugin from 'html-webpack-plugin';
import CopyWebpackPlugin from 'copy-webpack-plugin';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const require = createRequire(import.meta.url);
const officeJs = path.dirname(require.resolve('@microsoft/office-js/package.json'));

/** The Excel part of Office.js (the package holds every host and locale: 86 MB). */
const OFFICE_FILES = ['office.js', 'o15apptofilemappingtable.js', 'es6-promise.js', 'excel-*.js', 'excelwebapp-*.js', 'excelios-*.js', '{zh-cn,en-us}/office_strings.js'];

async function httpsServer() {
  if (process.env.KAOPING_DEV_CERTS !== 'self') {
    try {
      const certs = await import('office-addin-dev-certs');
      const options = await Promise.race([
        certs.getHttpsServerOptions(),
        new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 20000)),
      ]);
      return { type: 'https', options };
    } catch (e) {
      console.warn(`office-addin-dev-certs unavailable (${e instanceof Error ? e.message : e}); using a self-signed certificate`);
    }
  }
  return 'https';
}

export default async (_env, argv) => {
  const production = argv.mode === 'production';
  const serving = process.argv.includes('serve');
  return {
    context: root,
    mode: production ? 'production' : 'development',
    devtool: production ? 'source-map' : 'eval-source-map',
    entry: { taskpane: './addin/taskpane.ts' },
    output: {
      path: path.resolve(root, 'dist/addin'),
      filename: production ? '[name].[contenthash:8].js' : '[name].js',
      clean: true,
    },
    resolve: {
      extensions: ['.ts', '.mjs', '.js', '.json'],
      // The add-in reads through Office.js: ExcelJS and iconv-lite (used by shared/ for files) stay out.
      alias: {
        exceljs: path.resolve(here, 'stubs/unavailable.ts'),
        'iconv-lite': path.resolve(here, 'stubs/unavailable.ts'),
      },
      fallback: { buffer: false, fs: false, path: false, stream: false },
    },
    module: {
      rules: [
        { test: /\.ts$/, loader: require.resolve('esbuild-loader'), options: { target: 'es2020' } },
        // shared/ is pure: modules the add-in does not use (file reading, xlsx output) are dropped whole.
        { test: /[\\/]shared[\\/]/, sideEffects: false },
      ],
    },
    plugins: [
      new HtmlWebpackPlugin({ template: 'addin/taskpane.html', filename: 'taskpane.html', chunks: ['taskpane'], scriptLoading: 'defer' }),
      new HtmlWebpackPlugin({ template: 'addin/help.html', filename: 'help.html', chunks: [] }),
      new CopyWebpackPlugin({
        patterns: [
          { from: 'addin/assets', to: 'assets' },
          { from: 'addin/taskpane.css', to: 'taskpane.css' },
          { from: 'manifest.xml', to: 'manifest.xml' },
          // Already minified by Microsoft: not minified again (and not rewritten).
          ...OFFICE_FILES.map((f) => ({
            from: f,
            context: path.join(officeJs, 'dist'),
            to: 'office-js/[path][name][ext]',
            globOptions: { ignore: ['**/*.debug.js'] },
            info: { minimized: true },
          })),
        ],
      }),
    ],
    performance: { hints: production ? 'warning' : false, maxAssetSize: 1_000_000, maxEntrypointSize: 1_000_000, assetFilter: (f) => /^taskpane.*\.js$/.test(f) },
    stats: 'errors-warnings',
    ...(serving
      ? {
          devServer: {
            port: 3000,
            server: await httpsServer(),
            headers: { 'Access-Control-Allow-Origin': '*' },
            static: false,
            hot: false,
            client: { overlay: { warnings: false } },
          },
        }
      : {}),
  };
};
