// The page of a Paperlens webview view: its script and stylesheet only, under a CSP that allows nothing else.
import { randomBytes } from 'node:crypto';
import type * as vscode from 'vscode';

export function webviewHtml(webview: vscode.Webview, script: vscode.Uri, style: vscode.Uri, title: string): string {
  const nonce = randomBytes(16).toString('base64');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${webview.cspSource}; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style.toString()}">
<title>${title}</title>
</head>
<body>
<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
}
