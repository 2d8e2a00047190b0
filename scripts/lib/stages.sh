# Sourced by scripts/test: one line per stage with its wall time and CPU time, so a slow run
# shows where the time went.
#   smk_stage NAME    ends the current stage and starts NAME (prints "== NAME")
#   smk_stage_end     ends the current stage
#   smk_stage_table   prints the stages' lines (and those of SMK_STAGE_LOG's other writers)
#   smk_lane NAME     in a background subshell: its stages are marked NAME (not "main")
# CPU is user + system time of the commands the stage waited for (all their threads), so a
# stage that fills both cores shows about twice its wall time. A background lane of
# scripts/test runs its own stages in a subshell: the stages of both go to SMK_STAGE_LOG, each
# line marked with its lane. The lane's CPU is also counted in the main stage during which it
# ended (bash reaps a finished background job at once, whether or not it is waited for yet).

_smk_tck="$(getconf CLK_TCK)"
_smk_stage_name=""

# _smk_ticks = CPU ticks of this shell's waited-for children (/proc/PID/stat fields 16 and 17);
# a variable, not output: a $(...) would read the stat of its own subshell.
_smk_child_ticks() {
    local st
    read -r -a st </proc/"$BASHPID"/stat
    _smk_ticks=$(( st[15] + st[16] ))
}

smk_stage_end() {
    [ -n "$_smk_stage_name" ] || return 0
    _smk_child_ticks
    local wall=$(( SECONDS - _smk_stage_t0 )) cpu=$(( (_smk_ticks - _smk_stage_c0) / _smk_tck ))
    printf '%-9s %-58s %5d s %6d s\n' "${SMK_STAGE_LANE:-main}" "$_smk_stage_name" "$wall" "$cpu" >>"$SMK_STAGE_LOG"
    _smk_stage_name=""
}

smk_stage() {
    smk_stage_end
    _smk_stage_name="$1"
    _smk_stage_t0=$SECONDS
    _smk_child_ticks
    _smk_stage_c0=$_smk_ticks
    echo "== $1" >&2
}

smk_lane() {
    SMK_STAGE_LANE="$1"
    _smk_stage_name="" # the stage the subshell inherited is its parent's to end
}

smk_stage_table() {
    smk_stage_end
    printf '%-9s %-58s %7s %8s\n' lane stage wall CPU
    cat "$SMK_STAGE_LOG"
}
