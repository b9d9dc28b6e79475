import { contextBridge, ipcRenderer } from 'electron';
import { buildKioskBridge, ipcCallChannel, ipcEventChannel, type Invoke, type Subscribe } from '../../shared/kiosk-bridge';

// The page gets domain verbs only. ipcRenderer itself stays here: handing it over would
// let any script in the page invoke any channel.
const invoke: Invoke = (name, input) => ipcRenderer.invoke(ipcCallChannel(name), input);

const subscribe: Subscribe = (event, listener) => {
  // The IPC event object (with its sender) never reaches the page: only the payload does.
  const forward = (_event: Electron.IpcRendererEvent, payload: unknown) => listener(payload);
  ipcRenderer.on(ipcEventChannel(event), forward);
  return () => {
    ipcRenderer.removeListener(ipcEventChannel(event), forward);
  };
};

contextBridge.exposeInMainWorld('kiosk', buildKioskBridge(invoke, subscribe));
