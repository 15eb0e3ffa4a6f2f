# Login shells in a Berth workspace: history kept in the volume, written after every command
# so it survives a restart of the workspace.
export HISTFILE="$HOME/.bash_history"
export HISTSIZE=10000
export HISTFILESIZE=20000
export HISTCONTROL=ignoredups
shopt -s histappend 2>/dev/null
PROMPT_COMMAND="history -a${PROMPT_COMMAND:+; $PROMPT_COMMAND}"
PS1='\[\e[1;36m\]\w\[\e[0m\] \$ '
export PATH="$HOME/.local/bin:$PATH"
[ -d "$HOME" ] || mkdir -p "$HOME"
# A new project's dependencies are being copied in (berth-install, started with the workspace):
# wait for them, so `npm run dev` works at the first prompt.
if [ -z "${BERTH_INSTALL_LOCKED:-}" ] && ! flock -n /tmp/berth-install.lock true 2>/dev/null; then
  echo "Preparing the project's dependencies…"
  flock -w 300 /tmp/berth-install.lock true 2>/dev/null || true
fi
