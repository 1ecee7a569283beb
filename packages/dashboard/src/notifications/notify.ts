/**
 * Sound, desktop notification and the tab title's count, for activity while the tab is not
 * in focus. The count resets when the agent comes back to the tab.
 */
let unseen = 0;
const baseTitle = 'Parley';

function renderTitle(): void {
  document.title = unseen > 0 ? `(${unseen}) ${baseTitle}` : baseTitle;
}

export function watchFocus(): () => void {
  const reset = () => {
    if (document.visibilityState === 'visible' && document.hasFocus()) {
      unseen = 0;
      renderTitle();
    }
  };
  window.addEventListener('focus', reset);
  document.addEventListener('visibilitychange', reset);
  return () => {
    window.removeEventListener('focus', reset);
    document.removeEventListener('visibilitychange', reset);
  };
}

let audio: AudioContext | null = null;

/** A short two-tone chime made with WebAudio: no sound file to load or allow in the CSP. */
function chime(): void {
  try {
    audio ??= new AudioContext();
    const now = audio.currentTime;
    for (const [i, freq] of [880, 1320].entries()) {
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.08, now + i * 0.12);
      gain.gain.exponentialRampToValueAtTime(0.001, now + i * 0.12 + 0.25);
      osc.connect(gain).connect(audio.destination);
      osc.start(now + i * 0.12);
      osc.stop(now + i * 0.12 + 0.3);
    }
  } catch {
    // Audio may be blocked until the first user gesture; the title and notification remain.
  }
}

export function notifyActivity(title: string, body: string, onClick?: () => void): void {
  if (document.visibilityState === 'visible' && document.hasFocus()) return;
  unseen += 1;
  renderTitle();
  chime();
  if ('Notification' in window && Notification.permission === 'granted') {
    const notification = new Notification(title, { body: body.slice(0, 140), tag: title });
    notification.onclick = () => {
      window.focus();
      onClick?.();
      notification.close();
    };
  }
}

export function canAskForNotifications(): boolean {
  return 'Notification' in window && Notification.permission === 'default';
}
