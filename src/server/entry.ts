// dist/server.js: the process the VS Code client starts (over IPC).
import { runServerFromArguments } from './main';

runServerFromArguments();
