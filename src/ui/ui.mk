# src/ui: the ncurses user interface (ui_run) and its pure helpers.
noinst_LIBRARIES += src/ui/libui.a
src_ui_libui_a_SOURCES = \
	src/ui/ui.c src/ui/ui.h src/ui/ui_i18n.h src/ui/ui_internal.h \
	src/ui/ui_attach.c \
	src/ui/ui_attach_mailcap.c src/ui/ui_attach_mailcap.h \
	src/ui/ui_attach_name.c src/ui/ui_attach_name.h \
	src/ui/ui_attach_save.c \
	src/ui/ui_attach_view.c \
	src/ui/ui_compose.c \
	src/ui/ui_compose_complete.c \
	src/ui/ui_compose_job.c \
	src/ui/ui_compose_pane.c \
	src/ui/ui_date.c src/ui/ui_date.h \
	src/ui/ui_draw.c \
	src/ui/ui_folder_ops.c \
	src/ui/ui_folders.c \
	src/ui/ui_help.c \
	src/ui/ui_idset.c src/ui/ui_idset.h \
	src/ui/ui_index.c \
	src/ui/ui_keymap.c src/ui/ui_keymap.h \
	src/ui/ui_keys.c \
	src/ui/ui_ops.c \
	src/ui/ui_outbox.c \
	src/ui/ui_pager.c \
	src/ui/ui_pager_addr.c src/ui/ui_pager_addr.h \
	src/ui/ui_pager_body.c src/ui/ui_pager_body.h \
	src/ui/ui_pager_cmd.c src/ui/ui_pager_cmd.h \
	src/ui/ui_pager_doc.c \
	src/ui/ui_pager_text.c src/ui/ui_pager_text.h \
	src/ui/ui_pager_url.c \
	src/ui/ui_path.c src/ui/ui_path.h \
	src/ui/ui_pattern.c src/ui/ui_pattern.h \
	src/ui/ui_picker.c \
	src/ui/ui_prompt.c \
	src/ui/ui_save.c \
	src/ui/ui_scroll.c src/ui/ui_scroll.h \
	src/ui/ui_status.c \
	src/ui/ui_tag.c \
	src/ui/ui_text.c src/ui/ui_text.h \
	src/ui/ui_thread.c \
	src/ui/ui_tree.c src/ui/ui_tree.h \
	src/ui/ui_view.c

# Pure logic: text fitting and wrapping, dates, list scrolling.
check_PROGRAMS += tests/unit/test_ui_text
TESTS += tests/unit/test_ui_text
tests_unit_test_ui_text_SOURCES = tests/unit/test_ui_text.c
tests_unit_test_ui_text_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_ui_text_LDADD = src/ui/libui.a src/util/libutil.a \
	$(TEST_LDADD) -lpthread

check_PROGRAMS += tests/unit/test_ui_scroll
TESTS += tests/unit/test_ui_scroll
tests_unit_test_ui_scroll_SOURCES = tests/unit/test_ui_scroll.c
tests_unit_test_ui_scroll_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_ui_scroll_LDADD = src/ui/libui.a $(TEST_LDADD) -lpthread

check_PROGRAMS += tests/unit/test_ui_date
TESTS += tests/unit/test_ui_date
tests_unit_test_ui_date_SOURCES = tests/unit/test_ui_date.c
tests_unit_test_ui_date_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_ui_date_LDADD = src/ui/libui.a $(TEST_LDADD) -lpthread

# Pure logic of issue 3: patterns, key map and help, thread trees, id
# sets, tilde expansion.
check_PROGRAMS += tests/unit/test_ui_pattern
TESTS += tests/unit/test_ui_pattern
tests_unit_test_ui_pattern_SOURCES = tests/unit/test_ui_pattern.c
tests_unit_test_ui_pattern_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_ui_pattern_LDADD = src/ui/libui.a src/util/libutil.a \
	$(TEST_LDADD) -lpthread

check_PROGRAMS += tests/unit/test_ui_keymap
TESTS += tests/unit/test_ui_keymap
tests_unit_test_ui_keymap_SOURCES = tests/unit/test_ui_keymap.c
tests_unit_test_ui_keymap_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_ui_keymap_LDADD = src/ui/libui.a $(TEST_LDADD) -lpthread

check_PROGRAMS += tests/unit/test_ui_tree
TESTS += tests/unit/test_ui_tree
tests_unit_test_ui_tree_SOURCES = tests/unit/test_ui_tree.c
tests_unit_test_ui_tree_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_ui_tree_LDADD = src/ui/libui.a src/util/libutil.a \
	$(TEST_LDADD) -lpthread

check_PROGRAMS += tests/unit/test_ui_idset
TESTS += tests/unit/test_ui_idset
tests_unit_test_ui_idset_SOURCES = tests/unit/test_ui_idset.c
tests_unit_test_ui_idset_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_ui_idset_LDADD = src/ui/libui.a src/util/libutil.a \
	$(TEST_LDADD) -lpthread

check_PROGRAMS += tests/unit/test_ui_path
TESTS += tests/unit/test_ui_path
tests_unit_test_ui_path_SOURCES = tests/unit/test_ui_path.c
tests_unit_test_ui_path_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_ui_path_LDADD = src/ui/libui.a src/util/libutil.a \
	$(TEST_LDADD) -lpthread

if ENABLE_FUZZING
FUZZ_TARGETS += tests/fuzz/fuzz_ui_text
tests_fuzz_fuzz_ui_text_SOURCES = tests/fuzz/fuzz_ui_text.c
tests_fuzz_fuzz_ui_text_LDADD = src/ui/libui.a src/util/libutil.a
tests_fuzz_fuzz_ui_text_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer

FUZZ_TARGETS += tests/fuzz/fuzz_ui_pattern
tests_fuzz_fuzz_ui_pattern_SOURCES = tests/fuzz/fuzz_ui_pattern.c
tests_fuzz_fuzz_ui_pattern_LDADD = src/ui/libui.a src/util/libutil.a
tests_fuzz_fuzz_ui_pattern_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
endif

# Issue 5: the pager's text work (flowed, quotes, URLs, search), safe
# attachment names and mailcap, spoofed display names, the part chosen and
# its text, bounded outside programs, the pager's config keys.
check_PROGRAMS += tests/unit/test_ui_pager_text
TESTS += tests/unit/test_ui_pager_text
tests_unit_test_ui_pager_text_SOURCES = tests/unit/test_ui_pager_text.c
tests_unit_test_ui_pager_text_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_ui_pager_text_LDADD = src/ui/libui.a src/util/libutil.a \
	$(TEST_LDADD) -lpthread

check_PROGRAMS += tests/unit/test_ui_attach
TESTS += tests/unit/test_ui_attach
tests_unit_test_ui_attach_SOURCES = tests/unit/test_ui_attach.c
tests_unit_test_ui_attach_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_ui_attach_LDADD = src/ui/libui.a src/mime/libmime.a \
	src/util/libutil.a $(LTLIBICONV) $(TEST_LDADD) -lpthread

check_PROGRAMS += tests/unit/test_ui_pager_addr
TESTS += tests/unit/test_ui_pager_addr
tests_unit_test_ui_pager_addr_SOURCES = tests/unit/test_ui_pager_addr.c
tests_unit_test_ui_pager_addr_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_ui_pager_addr_LDADD = src/ui/libui.a src/mime/libmime.a \
	src/util/libutil.a $(LTLIBICONV) $(TEST_LDADD) -lpthread

check_PROGRAMS += tests/unit/test_ui_pager_body
TESTS += tests/unit/test_ui_pager_body
tests_unit_test_ui_pager_body_SOURCES = tests/unit/test_ui_pager_body.c
tests_unit_test_ui_pager_body_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_ui_pager_body_LDADD = src/ui/libui.a src/core/libcore.a \
	src/mime/libmime.a src/util/libutil.a $(LTLIBICONV) $(INIH_LIBS) \
	$(TEST_LDADD) -lpthread

check_PROGRAMS += tests/unit/test_ui_keymap_views
TESTS += tests/unit/test_ui_keymap_views
tests_unit_test_ui_keymap_views_SOURCES = tests/unit/test_ui_keymap_views.c
tests_unit_test_ui_keymap_views_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_ui_keymap_views_LDADD = src/ui/libui.a $(TEST_LDADD) \
	-lpthread

if ENABLE_FUZZING
FUZZ_TARGETS += tests/fuzz/fuzz_ui_pager
tests_fuzz_fuzz_ui_pager_SOURCES = tests/fuzz/fuzz_ui_pager.c
tests_fuzz_fuzz_ui_pager_LDADD = src/ui/libui.a src/mime/libmime.a \
	src/util/libutil.a $(LTLIBICONV)
tests_fuzz_fuzz_ui_pager_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
endif
