// The portal's own glue: listens to the widgets, and talks to the iframe with postMessage.
const frame = document.getElementById('scorer-frame');
const scorerOrigin = location.origin; // the scorer is hosted next to this page here
frame.src = new URL(`../embed.html?allow=${encodeURIComponent(location.origin)}&compact`, location.href).href;

document.getElementById('team-form').addEventListener('lead-scored', (event) => {
  const { temperature, score, next_action: next } = event.detail;
  document.getElementById('team-event').textContent = `lead-scored: ${temperature}, ${score}. ${next}`;
});

let nextId = 1;
document.getElementById('frame-score').addEventListener('click', () => {
  frame.contentWindow.postMessage({
    type: 'leadscore:score',
    id: nextId++,
    lead: { job_title: 'VP Sales', employees: '900', demo_requested: 'yes', sessions: '6' },
  }, scorerOrigin);
});

// The frame says when its form is there and how tall it is; one that never says so (blocked by a
// policy, or the scorer's server down) is replaced by a few words rather than an empty box.
const FRAME_PATIENCE_MS = 10000;
let frameReady = false;
setTimeout(() => {
  if (frameReady) return;
  const note = document.createElement('p');
  note.className = 'frame-fallback';
  note.textContent = 'The lead scorer could not be shown here. Open it on its own page, or ask the intranet team to allow it in this page.';
  frame.replaceWith(note);
}, FRAME_PATIENCE_MS);

window.addEventListener('message', (event) => {
  if (event.origin !== scorerOrigin || event.source !== frame.contentWindow) return;
  const out = document.getElementById('frame-result');
  if (event.data?.type === 'leadscore:ready') {
    frameReady = true;
  } else if (event.data?.type === 'leadscore:resize') {
    frame.style.height = `${Math.min(2000, Number(event.data.height) || 0) + 4}px`;
  } else if (event.data?.type === 'leadscore:result') {
    const { temperature, score } = event.data.result;
    out.textContent = `The iframe answered: ${temperature}, score ${score}.`;
    document.body.dataset.frameResult = temperature;
  } else if (event.data?.type === 'leadscore:error') {
    out.textContent = `The iframe answered with an error: ${event.data.error.message}`;
  }
});
