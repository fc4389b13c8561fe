/* For tests that call one function from several threads at once. */
#ifndef NP_TESTS_THREADS_TEST_H
#define NP_TESTS_THREADS_TEST_H

#include <pthread.h>

/* Runs fn on n (at most 16) threads at once, each given its index as its
 * argument, and asserts that every one returned NULL.  Include after
 * cmocka.h. */
static inline void np_test_threads(void *(*fn)(void *), long n)
{
	pthread_t th[16];
	assert_true(n > 0 && n <= 16);
	for (long i = 0; i < n; i++)
		assert_int_equal(pthread_create(&th[i], NULL, fn, (void *)i), 0);
	for (long i = 0; i < n; i++) {
		void *r;
		assert_int_equal(pthread_join(th[i], &r), 0);
		assert_null(r);
	}
}

#endif
