// The process diagram on the instance page: bpmn-js (NavigatedViewer, window.BpmnJS) draws the BPMN of the
// instance's process version, fetched with its states from /instances/<id>/diagram.json; completed elements
// get the marker class "cchc-completed", those waiting for a person or a timer "cchc-active" (see style.css).
(function () {
  'use strict';

  const box = document.getElementById('diagram');
  if (!box) {
    return;
  }
  const container = box.querySelector('.diagram-canvas');
  const note = box.querySelector('.diagram-note');
  const STATES = ['completed', 'active'];
  const NOT_MARKED = ['bpmn:Collaboration', 'bpmn:Process', 'bpmn:Participant', 'bpmn:Lane', 'label'];

  function fail(message) {
    box.dataset.state = 'failed';
    box.querySelectorAll('.diagram-canvas, .diagram-bar').forEach(function (el) { el.hidden = true; });
    if (note) {
      note.textContent = message;
      note.hidden = false;
    }
  }

  function fit(canvas) {
    canvas.resized();
    canvas.zoom('fit-viewport', 'auto');
  }

  async function show() {
    const response = await fetch(box.dataset.src, {
      credentials: 'same-origin', headers: { Accept: 'application/json' },
    });
    if (!response.ok) {
      throw new Error('diagram.json: HTTP ' + response.status);
    }
    const data = await response.json();
    const viewer = new window.BpmnJS({ container: container });
    await viewer.importXML(data.xml);
    const canvas = viewer.get('canvas');
    const registry = viewer.get('elementRegistry');
    const root = canvas.getRootElement();
    Object.keys(data.states || {}).forEach(function (id) {
      const state = data.states[id];
      const element = registry.get(id);
      if (!element || element === root || element.waypoints || NOT_MARKED.indexOf(element.type) >= 0
          || STATES.indexOf(state) < 0) {
        return;
      }
      canvas.addMarker(id, 'cchc-' + state);
    });
    fit(canvas);

    const button = box.querySelector('.diagram-fit');
    if (button) {
      button.addEventListener('click', function () { fit(canvas); });
    }
    let timer = null;
    window.addEventListener('resize', function () {
      clearTimeout(timer);
      timer = setTimeout(function () { fit(canvas); }, 150);
    });
    box.dataset.state = 'ready';
  }

  if (!container) {
    return;
  }
  if (typeof window.BpmnJS !== 'function') {
    fail('Không tải được thư viện hiển thị sơ đồ.');
    return;
  }
  show().catch(function (error) {
    if (window.console) {
      console.error(error);
    }
    fail('Không hiển thị được sơ đồ quy trình.');
  });
})();
