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
