import { buildKioskBridge, type KioskBridge } from '../../shared/kiosk-bridge';
import { fail, type Result } from '../../shared/result';

/**
 * The contract over the preview host: `POST /rpc/<call>` with the per-launch token
 * (from the URL fragment), events over server-sent events.
 */
export function connectToPreviewHost(token: string): KioskBridge {
  const invoke = async (name: string, input: unknown): Promise<Result<unknown>> => {
    try {
      const response = await fetch(`/rpc/${encodeURIComponent(name)}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
        body: JSON.stringify(input),
      });
      return (await response.json()) as Result<unknown>;
    } catch {
      return fail('internal', 'The kiosk service is not responding. Check that the preview host is running.');
    }
  };
  const source = new EventSource(`/events?token=${encodeURIComponent(token)}`);
  const subscribe = (event: string, listener: (payload: unknown) => void) => {
    const handler = (message: MessageEvent<string>) => listener(JSON.parse(message.data));
    source.addEventListener(event, handler);
    return () => source.removeEventListener(event, handler);
  };
  return buildKioskBridge(invoke, subscribe);
}
