/**
 * Server-rendered HTML of the hosted payment page: the order summary and the card form of an open
 * session, and plain message pages for complete, expired, unknown or unavailable sessions. No
 * inline script or style: the page loads one first-party script and stylesheet under a strict CSP.
 * Card inputs carry no `name`, so the form itself can never send a card number anywhere; the
 * script posts it straight to the tokenization endpoint.
 */
import type { HostedCheckoutView } from '../../../durable-objects/operations/checkout-hosted';
import { currencyInfo, isCurrencyCode } from '../../domain/money/currency';

export const PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

const PAGE_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy': PAGE_CSP,
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
} as const;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** Integer minor units → "20.00 USD" (string arithmetic: no floats). */
export function formatMoney(amount: number, currency: string): string {
  const exponent = isCurrencyCode(currency) ? currencyInfo(currency).exponent : 2;
  const code = currency.toUpperCase();
  if (exponent === 0) return `${amount.toLocaleString('en-US')} ${code}`;
  const whole = Math.trunc(amount / 100);
  const cents = String(amount % 100).padStart(2, '0');
  return `${whole.toLocaleString('en-US')}.${cents} ${code}`;
}

function htmlDocument(title: string, main: string, extraHead = ''): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="/c/assets/checkout.css">${extraHead}</head>
<body><main class="checkout">${main}</main></body></html>`;
}

export function htmlResponse(status: number, html: string): Response {
  return new Response(html, { status, headers: PAGE_HEADERS });
}

/** A page with a heading, a message and optional links (complete, expired, unknown, unavailable). */
export function messagePage(status: number, title: string, message: string, links: ReadonlyArray<{ href: string; text: string }> = [], extraHead = ''): Response {
  const linkHtml = links.map((l) => `<p><a class="button-link" href="${escapeHtml(l.href)}">${escapeHtml(l.text)}</a></p>`).join('');
  return htmlResponse(status, htmlDocument(title, `<h1>${escapeHtml(title)}</h1><p class="message">${escapeHtml(message)}</p>${linkHtml}`, extraHead));
}

/** Sends the browser on after a form-submission chain (meta refresh: CSP form-action does not apply). */
export function continuePage(title: string, message: string, target: string): Response {
  const head = `<meta http-equiv="refresh" content="0;url=${escapeHtml(target)}">`;
  return messagePage(200, title, message, [{ href: target, text: 'Continue' }], head);
}

function summary(view: HostedCheckoutView): string {
  const rows = view.lines
    .map((l) => `<li><span class="item">${escapeHtml(l.description)}${l.quantity > 1 ? ` × ${l.quantity}` : ''}</span><span class="amount">${formatMoney(l.amount, view.currency)}</span></li>`)
    .join('');
  return `<section class="summary" aria-labelledby="summary-title"><h2 id="summary-title">Order summary</h2>
<ul class="lines">${rows}</ul>
<p class="total"><span>Total due</span><strong id="total">${formatMoney(view.amountTotal, view.currency)}</strong></p></section>`;
}

function field(id: string, label: string, attrs: string, hint = ''): string {
  const hintHtml = hint === '' ? '' : `<span class="hint" id="${id}-hint">${escapeHtml(hint)}</span>`;
  const describedBy = hint === '' ? `${id}-error` : `${id}-hint ${id}-error`;
  return `<div class="field"><label for="${id}">${escapeHtml(label)}</label>${hintHtml}
<input id="${id}" ${attrs} aria-describedby="${describedBy}">
<p class="field-error" id="${id}-error" aria-live="polite"></p></div>`;
}

export interface FormContext {
  readonly returnUrl: string;
  readonly publishableKey: string;
  readonly intentId: string;
  readonly clientSecret: string;
}

export function paymentPage(view: HostedCheckoutView, form: FormContext): Response {
  const email = view.customerEmail === null ? '' : ` value="${escapeHtml(view.customerEmail)}"`;
  const cancel = view.cancelUrl === null ? '' : `<p class="cancel"><a href="${escapeHtml(view.cancelUrl)}">Cancel and return to the merchant</a></p>`;
  const mode = view.livemode ? '' : '<p class="test-badge">Test mode: use a test card such as 4242 4242 4242 4242.</p>';
  const data = [
    ['session', view.id],
    ['key', form.publishableKey],
    ['intent', form.intentId],
    ['secret', form.clientSecret],
    ['return-url', form.returnUrl],
  ]
    .map(([name, value]) => `data-${name}="${escapeHtml(value!)}"`)
    .join(' ');
  const main = `<h1>Pay ${formatMoney(view.amountTotal, view.currency)}</h1>${mode}${summary(view)}
<section class="payment" aria-labelledby="payment-title"><h2 id="payment-title">Payment details</h2>
<noscript><p class="message">This payment page needs JavaScript to send your card details securely.</p></noscript>
<form id="pay-form" novalidate ${data}>
${field('email', 'Email', `type="email" autocomplete="email" required${email}`)}
${field('card-number', 'Card number', 'type="text" inputmode="numeric" autocomplete="cc-number" required maxlength="23" placeholder="1234 1234 1234 1234"')}
<div class="row">
${field('card-expiry', 'Expiry date', 'type="text" inputmode="numeric" autocomplete="cc-exp" required maxlength="7" placeholder="MM / YY"', 'MM / YY')}
${field('card-cvc', 'Security code (CVC)', 'type="text" inputmode="numeric" autocomplete="cc-csc" required maxlength="4" placeholder="123"', '3 digits, 4 for American Express')}
</div>
${field('card-name', 'Name on card', 'type="text" autocomplete="cc-name" required maxlength="200"')}
<p id="pay-status" class="status${view.intent?.lastError ? ' error' : ''}" role="status" aria-live="polite" tabindex="-1">${escapeHtml(view.intent?.lastError ?? '')}</p>
<button id="pay-button" type="submit">Pay ${formatMoney(view.amountTotal, view.currency)}</button>
</form>${cancel}</section>`;
  return htmlResponse(200, htmlDocument(`Pay ${formatMoney(view.amountTotal, view.currency)}`, main, '<script src="/c/assets/checkout.js" defer></script>'));
}
