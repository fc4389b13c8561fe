/* Return codes: 0 on success, a negative NP_E... on failure. */
#ifndef NP_UTIL_ERR_H
#define NP_UTIL_ERR_H

enum {
	NP_OK = 0,
	NP_EIO = -1,      /* reading or writing a file failed (errno kept) */
	NP_EINVAL = -2,   /* bad input; a diagnostic says where */
	NP_ENOTTEXT = -3, /* binary or NUL-containing input refused */
	NP_EENC = -4,     /* unknown encoding */
	NP_EUNSAFE = -5,  /* a path outside the folder it must stay in */
	NP_ELIMIT = -6,   /* a size or depth limit was hit */
	NP_ENOENT = -7,   /* not found */
};

const char *np_strerror(int err);

#endif
