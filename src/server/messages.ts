// Handling and sending the custom messages of src/protocol.ts with their types.
import type { CancellationToken, Connection } from 'vscode-languageserver';
import type { Notification, Request } from '../protocol';

export function onRequest<P, R>(connection: Connection, request: Request<P, R>, handler: (params: P, token: CancellationToken) => R | Promise<R>): void {
  connection.onRequest(request.method, (params: unknown, token: CancellationToken) => handler(params as P, token));
}

export function onNotification<P>(connection: Connection, notification: Notification<P>, handler: (params: P) => void): void {
  connection.onNotification(notification.method, (params: unknown) => handler(params as P));
}

export function sendNotification<P>(connection: Connection, notification: Notification<P>, params: P): void {
  void connection.sendNotification(notification.method, params);
}
