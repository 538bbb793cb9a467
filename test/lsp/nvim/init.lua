-- Headless Neovim (0.7+) as a real second LSP client of `paperlens lsp --stdio`: opens a .tex and a .md file of a
-- workspace, waits for the library, types a query into a citation, asks for completion, and writes the item
-- labels (JSON) to the file the test reads. Run by test/unit/server/lsp.test.ts:
--   PAPERLENS_CLI=dist/cli.js PAPERLENS_WORKSPACE=<copy of examples> PAPERLENS_OUT=<file> nvim --headless -u init.lua
-- A config given with -u leaves filetype detection off: the server needs the language of each document.
vim.cmd('filetype on')

local cli = vim.env.PAPERLENS_CLI
local workspace = vim.env.PAPERLENS_WORKSPACE
local out = vim.env.PAPERLENS_OUT
local report = { tex = {}, md = {}, errors = {} }

local function finish()
  vim.fn.writefile({ vim.fn.json_encode(report) }, out)
  vim.cmd('qall!')
end

local ready = false
local client_id = vim.lsp.start_client({
  name = 'paperlens',
  cmd = { 'node', cli, 'lsp', '--stdio' },
  root_dir = workspace,
  workspace_folders = { { uri = vim.uri_from_fname(workspace), name = 'workspace' } },
  settings = { paperlens = { corpus = { bundled = true } } },
  init_options = { cacheDir = workspace .. '/.paperlens-cache' },
  flags = { debounce_text_changes = 0 },
  handlers = {
    ['paperlens/status'] = function(_, status)
      if status.kind ~= 'loading' then ready = true end
    end,
  },
})

-- Opens `file`, replaces line `line` (1-based) with `text`, and returns the labels of completion at its end.
local function complete(file, line, text)
  vim.cmd('edit ' .. vim.fn.fnameescape(workspace .. '/' .. file))
  local bufnr = vim.api.nvim_get_current_buf()
  vim.lsp.buf_attach_client(bufnr, client_id)
  vim.api.nvim_buf_set_lines(bufnr, line - 1, line, false, { text })
  -- Let the change reach the server before asking.
  vim.wait(500)
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    position = { line = line - 1, character = #text },
  }
  local responses, err = vim.lsp.buf_request_sync(bufnr, 'textDocument/completion', params, 20000)
  if err then table.insert(report.errors, err) end
  local labels = {}
  for _, response in pairs(responses or {}) do
    if response.error then table.insert(report.errors, response.error.message) end
    local result = response.result or {}
    for _, item in ipairs(result.items or result) do table.insert(labels, item.label) end
  end
  return labels
end

if not client_id then
  table.insert(report.errors, 'the server did not start')
  finish()
end
if not vim.wait(90000, function() return ready end, 100) then
  table.insert(report.errors, 'the library was not ready within 90 s')
  finish()
end
report.tex = complete('paper.tex', 19, 'Adapters \\cite{hypter zest')
report.md = complete('draft.md', 13, 'Try-on models [@garments')
finish()
