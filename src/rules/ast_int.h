/*
 * ast_int.h - helpers shared by the files of src/rules/ that build and copy
 * condition ASTs (parser.c, ast.c, macro.c).  Not for other modules.
 */
#ifndef FC_RULES_AST_INT_H
#define FC_RULES_AST_INT_H

#include "rules/ast.h"

/* Moves pos over n bytes of s ('\r' and '\n' start a new line). */
void	rule_pos_advance(struct rule_pos *pos, const char *s, size_t n);

/* Frees what the operand owns and zeroes it (safe to call twice). */
void	rule_operand_fini(struct rule_operand *o);

/* Number of nodes (AND/OR/NOT/CHECK/IDENT) in a tree. */
size_t	rule_node_count(const struct rule_node *n);

#endif
