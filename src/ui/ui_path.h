/*
 * ui_path.h - the file names typed at prompts.
 */
#ifndef PETREL_UI_PATH_H
#define PETREL_UI_PATH_H

/*
 * Expand a leading "~" (home, $HOME passed in as home) or "~user" (from
 * the password database) in path.  Returns a new string, or NULL when the
 * path is empty or names an unknown user (or home is NULL for "~").
 */
char	*ui_path_expand(const char *path, const char *home);

#endif
