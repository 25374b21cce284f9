// The console's only script besides htmx: pages work without it; it adds copying and confirmations.
'use strict';

document.addEventListener('click', (event) => {
  const button = event.target instanceof Element ? event.target.closest('[data-copy]') : null;
  if (!button) return;
  const source = document.getElementById(button.getAttribute('data-copy'));
  const status = document.getElementById(button.getAttribute('data-copy') + '-status');
  if (!source || !navigator.clipboard) {
    if (status) status.textContent = 'Select the text and copy it';
    return;
  }
  navigator.clipboard.writeText(source.textContent.trim()).then(
    () => { if (status) status.textContent = 'Copied'; },
    () => { if (status) status.textContent = 'Could not copy; select the text and copy it'; },
  );
});

document.addEventListener('submit', (event) => {
  const form = event.target;
  const question = form instanceof HTMLFormElement ? form.getAttribute('data-confirm') : null;
  if (question && !window.confirm(question)) event.preventDefault();
});

// The Raindrop screen's countdown; the server decides the time-out, this only shows it coming.
function runCountdowns() {
  for (const timer of document.querySelectorAll('[data-deadline]:not([data-running])')) {
    timer.setAttribute('data-running', '');
    const deadline = Date.parse(timer.getAttribute('data-deadline'));
    const tick = () => {
      const left = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
      timer.textContent = String(left);
      if (left === 0) {
        clearInterval(interval);
        timer.parentElement.textContent = 'Time is up: start again for a new message.';
      }
    };
    const interval = setInterval(tick, 1000);
    tick();
  }
}
runCountdowns();
document.addEventListener('htmx:afterSwap', runCountdowns);
