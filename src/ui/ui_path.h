/*
 * ui_path.h - the file names typed at prompts: ~ and Tab.
 */
#ifndef PETREL_UI_PATH_H
#define PETREL_UI_PATH_H

/*
 * Expand a leading "~" (home, $HOME passed in as home) or "~user" (from
 * the password database) in path.  Returns a new string, or NULL when the
 * path is empty or names an unknown user (or home is NULL for "~").
 */
char	*ui_path_expand(const char *path, const char *home);

/*
 * Tab completion: typed with its last component completed as far as the
 * entries of its directory agree (dot files only when typed starts one;
 * a lone directory match gets a '/').  *nmatch says how many entries
 * matched.  NULL when none does or the directory cannot be read.
 */
char	*ui_path_complete(const char *typed, const char *home,
	     size_t *nmatch);

#endif
