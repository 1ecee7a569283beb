import { preferences } from '../preferences/preferences';

/**
 * Sound (unless the agent turned it off) and a desktop notification for activity while the tab
 * is not in focus. The tab title's unread count is kept by `useUnreadTitle`.
 */
const inFocus = () => document.visibilityState === 'visible' && document.hasFocus();

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
  if (inFocus()) return;
  if (preferences.get().sound) chime();
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
