// Passkeys in the participant portal. A button with data-passkey="setup"
// (on the invitation page, beside the password) makes a passkey with the
// code; data-passkey="sign-in" (on the sign-in page) signs in with one.
// Buttons stay hidden where the browser has no WebAuthn; the password
// works everywhere.
(function () {
  'use strict';
  if (!window.PublicKeyCredential || !navigator.credentials) return;

  function encode(buffer) {
    const bytes = new Uint8Array(buffer);
    let text = '';
    for (let i = 0; i < bytes.length; i += 1) text += String.fromCharCode(bytes[i]);
    return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  function decode(text) {
    let s = text.replace(/-/g, '+').replace(/_/g, '/');
    while (s.length % 4) s += '=';
    const raw = atob(s);
    const bytes = new Uint8Array(raw.length);
    for (let i = 0; i < raw.length; i += 1) bytes[i] = raw.charCodeAt(i);
    return bytes.buffer;
  }

  async function post(url, body, csrf) {
    const response = await fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error('HTTP ' + response.status);
    return response.json();
  }

  async function setUp(form, csrf) {
    const code = form.querySelector('[name="code"]').value;
    const start = await post('/portal/passkey/setup/start', { code: code }, csrf);
    const options = start.options.publicKey;
    options.challenge = decode(options.challenge);
    options.user.id = decode(options.user.id);
    (options.excludeCredentials || []).forEach(function (c) { c.id = decode(c.id); });
    const made = await navigator.credentials.create({ publicKey: options });
    const credential = {
      id: made.id,
      rawId: encode(made.rawId),
      type: made.type,
      extensions: {},
      response: {
        attestationObject: encode(made.response.attestationObject),
        clientDataJSON: encode(made.response.clientDataJSON),
      },
    };
    return post('/portal/passkey/setup/finish', { code: code, ceremony: start.ceremony, credential: credential }, csrf);
  }

  async function signIn(form, csrf) {
    const login = form.querySelector('[name="login"]').value;
    const start = await post('/portal/passkey/sign-in/start', { login: login }, csrf);
    const options = start.options.publicKey;
    options.challenge = decode(options.challenge);
    (options.allowCredentials || []).forEach(function (c) { c.id = decode(c.id); });
    const got = await navigator.credentials.get({ publicKey: options });
    const credential = {
      id: got.id,
      rawId: encode(got.rawId),
      type: got.type,
      extensions: {},
      response: {
        authenticatorData: encode(got.response.authenticatorData),
        clientDataJSON: encode(got.response.clientDataJSON),
        signature: encode(got.response.signature),
        userHandle: got.response.userHandle ? encode(got.response.userHandle) : null,
      },
    };
    return post('/portal/passkey/sign-in/finish', { ceremony: start.ceremony, credential: credential }, csrf);
  }

  document.querySelectorAll('[data-passkey]').forEach(function (button) {
    const form = button.closest('form');
    const status = document.getElementById(button.getAttribute('aria-describedby'));
    const block = button.closest('[data-passkey-block]') || button;
    block.hidden = false;
    button.addEventListener('click', async function (event) {
      event.preventDefault();
      const csrf = form.querySelector('[name="_csrf"]').value;
      button.disabled = true;
      try {
        const done = button.dataset.passkey === 'setup' ? await setUp(form, csrf) : await signIn(form, csrf);
        window.location.assign(done.next);
      } catch (e) {
        if (status) {
          status.textContent = button.dataset.failed;
          status.hidden = false;
        }
        button.disabled = false;
      }
    });
  });
})();
