/*
 * cmd.h - the subcommands of the falconet binary, wired by main.c.
 * Each takes the arguments after the subcommand name (argv[0] is the
 * subcommand) and returns the process exit status.
 */
#ifndef FC_CMD_H
#define FC_CMD_H

int	cmd_replay(int argc, char **argv);
int	cmd_validate(int argc, char **argv);
int	cmd_run(int argc, char **argv);
int	cmd_list_fields(int argc, char **argv);

#endif
