/* Where things live in a site folder (docs/records.md). */
#ifndef NP_BUILD_SITE_PATHS_H
#define NP_BUILD_SITE_PATHS_H

#define NP_ISSUES_DIR "content/issues"
#define NP_ARTICLES_DIR "content/articles"
#define NP_EVENTS_FILE "content/events.yaml"
#define NP_SITE_FILE "site.yaml"
#define NP_CACHE_DIR ".newsprint"

#endif
