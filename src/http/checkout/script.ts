/**
 * The hosted page's one first-party script (served as /c/assets/checkout.js). It validates the
 * card inline (Luhn, expiry, CVC length), posts the card straight to POST /v1/payment_methods
 * with the publishable key, confirms the session's PaymentIntent with its client secret, follows
 * a 3DS `next_action`, and announces every outcome in an aria-live region. It keeps nothing:
 * no storage, no logging, no third-party requests.
 */
export const CHECKOUT_SCRIPT = String.raw`(function () {
  'use strict';
  var form = document.getElementById('pay-form');
  if (!form) return;
  var data = form.dataset;
  var statusBox = document.getElementById('pay-status');
  var button = document.getElementById('pay-button');
  var fields = {
    email: document.getElementById('email'),
    number: document.getElementById('card-number'),
    expiry: document.getElementById('card-expiry'),
    cvc: document.getElementById('card-cvc'),
    name: document.getElementById('card-name')
  };
  var order = ['email', 'number', 'expiry', 'cvc', 'name'];

  function digits(text) { return text.replace(/[\s-]/g, ''); }
  function luhn(number) {
    var sum = 0;
    for (var i = 0; i < number.length; i++) {
      var d = number.charCodeAt(number.length - 1 - i) - 48;
      if (i % 2 === 1) { d *= 2; if (d > 9) d -= 9; }
      sum += d;
    }
    return sum % 10 === 0;
  }
  function parseExpiry(text) {
    var m = /^\s*(\d{1,2})\s*\/?\s*(\d{2}|\d{4})\s*$/.exec(text);
    if (!m) return null;
    var month = Number(m[1]);
    var year = Number(m[2]);
    if (year < 100) year += 2000;
    if (month < 1 || month > 12) return null;
    return { month: month, year: year };
  }
  function cvcLength() { return /^3[47]/.test(digits(fields.number.value)) ? 4 : 3; }

  var checks = {
    email: function (v) { return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v.trim()) ? '' : 'Enter a valid email address.'; },
    number: function (v) {
      var n = digits(v);
      if (!/^\d{12,19}$/.test(n)) return 'Enter the card number (12 to 19 digits).';
      return luhn(n) ? '' : 'This card number is not valid. Check it for typos.';
    },
    expiry: function (v) {
      var e = parseExpiry(v);
      if (!e) return 'Enter the expiry date as MM / YY.';
      var now = new Date();
      return e.year * 12 + e.month - 1 < now.getFullYear() * 12 + now.getMonth() ? 'This card has expired.' : '';
    },
    cvc: function (v) {
      var n = cvcLength();
      return new RegExp('^\\d{' + n + '}$').test(v.trim()) ? '' : 'Enter the ' + n + '-digit security code.';
    },
    name: function (v) { return v.trim() ? '' : 'Enter the name on the card.'; }
  };

  function validate(key) {
    var input = fields[key];
    var message = checks[key](input.value);
    document.getElementById(input.id + '-error').textContent = message;
    if (message) input.setAttribute('aria-invalid', 'true'); else input.removeAttribute('aria-invalid');
    return message;
  }
  order.forEach(function (key) {
    fields[key].addEventListener('blur', function () { if (fields[key].value) validate(key); });
  });

  function say(message, kind) {
    statusBox.textContent = message;
    statusBox.className = 'status' + (kind ? ' ' + kind : '');
  }
  function fail(message) {
    button.disabled = false;
    button.removeAttribute('aria-busy');
    say(message, 'error');
    statusBox.focus();
  }
  function call(path, params) {
    var init = { method: params ? 'POST' : 'GET', credentials: 'omit', cache: 'no-store', headers: { Authorization: 'Bearer ' + data.key } };
    if (params) {
      init.headers['Content-Type'] = 'application/x-www-form-urlencoded';
      init.body = new URLSearchParams(params).toString();
    }
    return fetch(path, init).then(function (res) {
      return res.json().catch(function () { return { error: { message: 'Unexpected answer from the server (HTTP ' + res.status + ').' } }; });
    });
  }

  function pay() {
    var expiry = parseExpiry(fields.expiry.value);
    return call('/v1/payment_methods', {
      type: 'card',
      'card[number]': digits(fields.number.value),
      'card[exp_month]': String(expiry.month),
      'card[exp_year]': String(expiry.year),
      'card[cvc]': fields.cvc.value.trim(),
      'billing_details[name]': fields.name.value.trim(),
      'billing_details[email]': fields.email.value.trim()
    }).then(function (method) {
      if (method.error) throw new Error(method.error.message);
      return call('/v1/payment_intents/' + encodeURIComponent(data.intent) + '/confirm', {
        client_secret: data.secret,
        payment_method: method.id,
        return_url: data.returnUrl
      });
    }).then(function (intent) {
      if (intent.error) throw new Error(intent.error.message);
      if (intent.status === 'requires_action' && intent.next_action && intent.next_action.redirect_to_url) {
        say('Your bank asks you to authenticate this payment. Redirecting…', 'busy');
        window.location.assign(intent.next_action.redirect_to_url.url);
        return;
      }
      if (intent.status !== 'succeeded') throw new Error('The payment could not be completed. Please try again.');
      return call('/v1/checkout/sessions/' + encodeURIComponent(data.session)).then(function (session) {
        if (session.status !== 'complete') throw new Error('The payment went through but the order is not complete yet. Please reload this page.');
        say('Payment complete. Taking you back to the merchant…', 'ok');
        window.location.assign(data.returnUrl);
      });
    });
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var invalid = order.filter(function (key) { return validate(key) !== ''; });
    if (invalid.length > 0) {
      say('Please correct the ' + (invalid.length === 1 ? 'highlighted field.' : invalid.length + ' highlighted fields.'), 'error');
      fields[invalid[0]].focus();
      return;
    }
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
    say('Processing your payment…', 'busy');
    pay().catch(function (error) {
      fail(error instanceof TypeError ? 'The payment could not be sent. Check your connection and try again.' : error.message);
    });
  });
})();
`;

export const CHECKOUT_STYLES = `*,*::before,*::after{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1f36;background:#f6f8fa}
.checkout{max-width:32rem;margin:0 auto;padding:1.5rem 1rem 3rem}
h1{font-size:1.6rem;margin:0 0 1rem}
h2{font-size:1.1rem;margin:0 0 .75rem}
section{background:#fff;border:1px solid #d8dee4;border-radius:8px;padding:1rem 1.25rem;margin-bottom:1rem}
.lines{list-style:none;margin:0;padding:0}
.lines li,.total{display:flex;justify-content:space-between;gap:1rem;padding:.35rem 0}
.total{border-top:1px solid #d8dee4;margin:.5rem 0 0;padding-top:.75rem}
.field{margin-bottom:.9rem}
label{display:block;font-weight:600;margin-bottom:.25rem}
.hint{display:block;font-size:.85rem;color:#57606a}
input{width:100%;font:inherit;padding:.6rem .7rem;border:1px solid #8c959f;border-radius:6px}
input:focus,button:focus,a:focus,.status:focus{outline:3px solid #0969da;outline-offset:2px}
input[aria-invalid="true"]{border-color:#cf222e}
.field-error{color:#a40e26;font-size:.9rem;margin:.25rem 0 0;min-height:1.2em}
.row{display:flex;gap:1rem;flex-wrap:wrap}
.row .field{flex:1 1 10rem}
button{width:100%;font:inherit;font-weight:600;padding:.8rem;border:0;border-radius:6px;background:#0a5dc2;color:#fff;cursor:pointer}
button[disabled]{background:#57606a;cursor:progress}
.status{min-height:1.5em;margin:.5rem 0 1rem}
.status.error{color:#a40e26;font-weight:600}
.status.ok{color:#116329;font-weight:600}
.test-badge{display:inline-block;background:#fff8c5;border:1px solid #d4a72c;border-radius:6px;padding:.25rem .6rem;font-size:.9rem}
.cancel{text-align:center;margin:1rem 0 0}
a{color:#0a5dc2}
.button-link{display:inline-block;padding:.6rem 1rem;border:1px solid #0a5dc2;border-radius:6px;text-decoration:none}
@media (max-width:30rem){.checkout{padding:1rem .75rem 2rem}h1{font-size:1.35rem}section{padding:.9rem}}
`;
