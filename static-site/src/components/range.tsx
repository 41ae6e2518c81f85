import { useEffect, useRef, useState } from 'preact/hooks';
import { PRESETS, describeRange, resolveTime, type Range } from '../time';

function toLocalInput(d: Date | null): string {
  if (!d) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The global time range: presets from 15 minutes to a year, or absolute from/to. */
export function RangePicker(props: { range: Range; onChange(range: Range): void }) {
  const [open, setOpen] = useState(false);
  const now = new Date();
  const [from, setFrom] = useState(toLocalInput(resolveTime(props.range.from, now)));
  const [to, setTo] = useState(toLocalInput(resolveTime(props.range.to, now)));
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent) => box.current && !box.current.contains(e.target as Node) && setOpen(false);
    document.addEventListener('mousedown', close);
    return () => document.removeEventListener('mousedown', close);
  }, [open]);
  useEffect(() => {
    setFrom(toLocalInput(resolveTime(props.range.from, new Date())));
    setTo(toLocalInput(resolveTime(props.range.to, new Date())));
  }, [props.range.from, props.range.to]);
  const apply = (e: Event) => {
    e.preventDefault();
    const f = new Date(from);
    const t = new Date(to);
    if (Number.isNaN(f.getTime()) || Number.isNaN(t.getTime()) || f >= t) return;
    props.onChange({ from: f.toISOString().replace('.000Z', 'Z'), to: t.toISOString().replace('.000Z', 'Z') });
    setOpen(false);
  };
  return (
    <div class="range" ref={box}>
      <button type="button" class="btn range-btn" data-testid="range-button" onClick={() => setOpen(!open)} aria-expanded={open}>
        <span class="icon">◷</span> {describeRange(props.range)}
      </button>
      {open && (
        <div class="range-pop">
          <ul class="range-presets">
            {PRESETS.map((p) => (
              <li>
                <button type="button" class={props.range.from === p.from && props.range.to === 'now' ? 'on' : ''} onClick={() => { props.onChange({ from: p.from, to: 'now' }); setOpen(false); }}>
                  {p.label}
                </button>
              </li>
            ))}
          </ul>
          <form class="range-abs" onSubmit={apply}>
            <div class="muted small">Absolute (local time)</div>
            <label>From <input type="datetime-local" value={from} onInput={(e) => setFrom((e.target as HTMLInputElement).value)} /></label>
            <label>To <input type="datetime-local" value={to} onInput={(e) => setTo((e.target as HTMLInputElement).value)} /></label>
            <button type="submit" class="btn btn-primary">Apply</button>
          </form>
        </div>
      )}
    </div>
  );
}
