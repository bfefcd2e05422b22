import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ListenAddress } from './settings';

/** Starts a server on an address and resolves with the bound one (the real port when 0 was asked). Rejects with the listen error (EADDRINUSE, EACCES). */
export function listen(server: Server, address: ListenAddress): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(address.port, address.host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

/** Stops accepting connections and resolves once the server has closed (every connection gone). */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) {
      resolve();
      return;
    }
    server.close(() => resolve());
  });
}
