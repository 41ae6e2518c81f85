// The walking skeleton's page: the latest log records from /api/logs, refreshed every 5 seconds.
'use strict';

const tbody = document.querySelector('#logs tbody');
const empty = document.getElementById('empty');
const status = document.getElementById('status');
const range = document.getElementById('range');

function cell(text, className) {
  const td = document.createElement('td');
  td.textContent = text ?? '';
  if (className) td.className = className;
  return td;
}

async function load() {
  const params = new URLSearchParams({ from: range.value, limit: '200' });
  try {
    const response = await fetch('/api/logs?' + params);
    const data = await response.json();
    if (!response.ok) throw new Error(data.message || response.statusText);
    tbody.replaceChildren(...data.rows.map(row => {
      const tr = document.createElement('tr');
      tr.append(cell(row.time.replace('T', ' ').replace('Z', '')), cell(row.tool), cell(row.event_name),
        cell(row.session_id), cell(row.body, 'body'));
      return tr;
    }));
    empty.hidden = data.rows.length > 0;
    status.textContent = `${data.rows.length} records · updated ${new Date().toLocaleTimeString()}`;
  } catch (e) {
    status.textContent = 'cannot load records: ' + e.message;
  }
}

range.addEventListener('change', load);
load();
setInterval(load, 5000);
