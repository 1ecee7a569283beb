// The offline page's script (offline.html; a file of its own, as the CSP allows no inline
// script). The address is still the page that was asked for: reloading asks for it again.
const tryAgain = () => location.reload();
addEventListener('online', tryAgain);
document.getElementById('try-again')?.addEventListener('click', tryAgain);

// The scheme the agent chose in the dashboard, kept by src/preferences/preferences.ts.
try {
  const theme = JSON.parse(localStorage.getItem('parley.preferences') ?? 'null')?.theme;
  if (theme === 'light' || theme === 'dark') document.documentElement.style.colorScheme = theme;
} catch {
  // Storage blocked or garbled: the system's scheme holds.
}
