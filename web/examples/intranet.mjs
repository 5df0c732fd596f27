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

window.addEventListener('message', (event) => {
  if (event.origin !== scorerOrigin || event.source !== frame.contentWindow) return;
  const out = document.getElementById('frame-result');
  if (event.data?.type === 'leadscore:result') {
    const { temperature, score } = event.data.result;
    out.textContent = `The iframe answered: ${temperature}, score ${score}.`;
    document.body.dataset.frameResult = temperature;
  } else if (event.data?.type === 'leadscore:error') {
    out.textContent = `The iframe answered with an error: ${event.data.error.message}`;
  }
});
