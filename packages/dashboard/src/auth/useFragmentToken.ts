import { useEffect, useState } from 'react';
import { useLocation, useNavigate } from 'react-router';

/**
 * A link's token that travels in the address's fragment (a reset link, an invitation), read by
 * `parse`. Once read, it leaves the address bar and the history entry, so it is not shown on
 * screen or copied with the address. Another link opened in this tab changes only the
 * fragment: the page stays, and the token follows the new link.
 */
export function useFragmentToken(parse: (hash: string) => string | null): string | null {
  const location = useLocation();
  const navigate = useNavigate();
  const fromLink = parse(location.hash);
  const [token, setToken] = useState(fromLink);
  if (fromLink && fromLink !== token) setToken(fromLink);
  useEffect(() => {
    if (location.hash) void navigate({ hash: '' }, { replace: true });
  }, [location.hash, navigate]);
  return token;
}
