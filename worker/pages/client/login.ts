// 登录: POST /api/auth/login sets the session cookie; then back to the page that sent the user here.
import { api, messageOf } from './lib/api.ts';
import { $, $input } from './lib/dom.ts';

const form = $('#login-form') as HTMLFormElement;
const error = $('#login-error');
const submit = $('#login-submit') as HTMLButtonElement;

form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  error.hidden = true;
  submit.disabled = true;
  submit.textContent = '正在登录…';
  try {
    await api('/api/auth/login', { json: { login: $input('#login').value.trim(), password: $input('#password').value } });
    // Without a page to return to, /login sends a signed-in user to the home page of their role.
    location.assign($input('#next').value || '/login');
  } catch (e) {
    error.textContent = messageOf(e);
    error.hidden = false;
    submit.disabled = false;
    submit.textContent = '登录';
    $input('#password').select();
  }
});
