/*
 * export/journal.h: the commit journal of an export run, so that a run killed while it moves
 * its outputs into DIR is undone by the next export into the same DIR.
 *
 * In the run's staging directory (see context.c):
 *     owner     the pid of the run, written when the staging directory is made
 *     journal   one record per commit step, appended (write(2)) BEFORE the step is done:
 *                 'D' dir NUL                a directory made in DIR
 *                 'B' final NUL old NUL      an old output moved aside (--overwrite)
 *                 'M' staged NUL final NUL   a staged output moved into place
 *                 'R' dir NUL                a directory in DIR left empty by a removal
 *                                            (--update), removed
 *                 'C'                        every step done: the run committed
 * A staging directory whose owner is dead is left over from a killed run.  Recovery undoes
 * its steps backwards unless the journal ends in 'C' (each undo checks what is on disk, since
 * a record may be written and its step not done), then removes the staging directory.
 * kill -9 is covered; a power cut can lose renames the file system had not yet made durable.
 */
#ifndef POND_EXPORT_JOURNAL_H
#define POND_EXPORT_JOURNAL_H

#include <stdio.h>

/* Record this process as the owner of staging. */
int pond_journal_mark_owner(const char *staging);

/* Remove a staging directory, its owner file last (so a kill part way is still recognised as
 * a dead run's leftover). */
int pond_journal_remove_staging(const char *staging);

/* Open staging/journal for appending; *fd is -1 on failure. */
int pond_journal_open(int *fd, const char *staging);

/* Append one record ('D', 'B', 'M' with a and b as above; 'C' with both NULL). */
int pond_journal_append(int fd, char kind, const char *a, const char *b);

/* Undo and remove every staging directory in dir left by a dead run; *recovered counts them
 * (the caller reports them). */
int pond_journal_recover(const char *dir, int *recovered);

#endif
