// The page of a Paperlens webview view: its script and stylesheet only, under a CSP that allows nothing else.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

/** Sets up `view` with dist/webview/<name>.js and media/<name>.css, the only resources its page may load. */
export function showWebviewPage(extensionUri: vscode.Uri, view: vscode.WebviewView, name: string, title: string): void {
  const scriptRoot = vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
  const mediaRoot = vscode.Uri.joinPath(extensionUri, 'media');
  view.webview.options = { enableScripts: true, localResourceRoots: [scriptRoot, mediaRoot] };
  view.webview.html = webviewHtml(
    view.webview,
    view.webview.asWebviewUri(vscode.Uri.joinPath(scriptRoot, `${name}.js`)),
    view.webview.asWebviewUri(vscode.Uri.joinPath(mediaRoot, `${name}.css`)),
    title,
  );
}

function webviewHtml(webview: vscode.Webview, script: vscode.Uri, style: vscode.Uri, title: string): string {
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
