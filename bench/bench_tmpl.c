/* Renders per second of an article page: article.html extends base.html,
 * includes a nav and a footer partial, prints ~20 fields through filters
 * (date via ICU, truncate, relative_url, join, default), loops over regions
 * and events, and embeds a ~3 KB cmark body.  Best of three runs of N
 * renders on one thread, then N renders per thread on all threads sharing
 * one environment (the build's situation).
 *
 *   ./bench/bench_tmpl [renders] */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "tmpl/tmpl.h"
#include "util/err.h"
#include "util/pool.h"

static const char base_html[] =
    "<!doctype html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
    "<title>{% block title %}{{ site.title }}{% endblock %}</title>\n"
    "<link rel=\"stylesheet\" href=\"{{ 'static/style.css' | relative_url }}\">\n"
    "<link rel=\"canonical\" href=\"{{ page.url | absolute_url }}\">\n"
    "</head>\n<body>\n<a class=\"skip\" href=\"#main\">跳到正文</a>\n"
    "{% include 'partials/nav.html' %}\n"
    "<main id=\"main\">{% block content %}{% endblock %}</main>\n"
    "{% include 'partials/footer.html' %}\n</body>\n</html>\n";

static const char nav_html[] =
    "<nav aria-label=\"主导航\"><ul>\n"
    "{%- for item in site.nav %}\n  <li><a href=\"{{ item.url | relative_url }}\""
    "{% if item.url == page.section %} aria-current=\"page\"{% endif %}>{{ item.title }}</a></li>"
    "\n{%- endfor %}\n</ul></nav>";

static const char footer_html[] =
    "<footer><p>{{ site.title }} · 共 {{ site.count }} 篇 · "
    "<a href=\"{{ 'about/index.html' | relative_url }}\">关于</a></p></footer>";

static const char article_html[] =
    "{% extends 'base.html' %}\n"
    "{% block title %}{{ article.title }} - {{ super() }}{% endblock %}\n"
    "{% block content %}\n<article>\n<header>\n"
    "{% if article.kicker %}<p class=\"kicker\">{{ article.kicker }}</p>{% endif %}\n"
    "<h1>{{ article.title }}</h1>\n"
    "{% if article.subtitle %}<p class=\"subtitle\">{{ article.subtitle }}</p>{% endif %}\n"
    "<p class=\"meta\"><time datetime=\"{{ article.date | date('iso') }}\">"
    "{{ article.date | date('long') }}</time> · 第{{ article.page }}版 · "
    "{{ article.authors | join('、') | default('佚名') }}"
    "{% if article.source %} · 转载自《{{ article.source }}》{% endif %}</p>\n"
    "</header>\n<div class=\"body\">{{ article.body }}</div>\n"
    "<aside>\n<h2>地区</h2><ul>\n"
    "{%- for r in article.regions %}<li><a href=\"{{ r.url | relative_url }}\">{{ r.name }}</a>"
    "{% if not loop.last %}、{% endif %}</li>{% endfor %}</ul>\n"
    "<h2>事件</h2><ol>\n"
    "{%- for e in article.events %}<li value=\"{{ loop.index }}\"><a href=\""
    "{{ e.url | relative_url }}\" title=\"{{ e.summary | truncate(20) }}\">{{ e.name }}</a>"
    "</li>{% else %}<li>无</li>{% endfor %}</ol>\n"
    "<p>人物：{{ article.people | join('、') }}</p>\n"
    "<p>地点：{{ article.places | join('、') | default('—') }}</p>\n"
    "</aside>\n<nav class=\"pager\">"
    "{% if page.prev %}<a rel=\"prev\" href=\"{{ page.prev.url | relative_url }}\">"
    "{{ page.prev.title | truncate(16) }}</a>{% endif %}"
    "{% if page.next %}<a rel=\"next\" href=\"{{ page.next.url | relative_url }}\">"
    "{{ page.next.title | truncate(16) }}</a>{% endif %}</nav>\n"
    "<script type=\"application/ld+json\">{{ page.ld | json }}</script>\n"
    "</article>\n{% endblock %}\n";

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static np_value *link(np_arena *a, const char *name, const char *url)
{
	np_value *m = np_value_map(a);
	np_value_map_set(a, m, "name", np_value_strc(a, name));
	np_value_map_set(a, m, "title", np_value_strc(a, name));
	np_value_map_set(a, m, "url", np_value_strc(a, url));
	np_value_map_set(
	    a, m, "summary",
	    np_value_strc(a, "省委召开全体会议，研究部署防汛抗旱和灾后重建工作，要求各地"));
	return m;
}

static np_value *strs(np_arena *a, const char *const *s)
{
	np_value *l = np_value_list(a, 0);
	for (; *s; s++)
		np_value_list_push(a, l, np_value_strc(a, *s));
	return l;
}

static np_value *site_ctx(np_arena *a)
{
	static const char *const nav[][2] = {
	    {"首页", "index.html"},         {"日期", "dates/index.html"},
	    {"地区", "regions/index.html"}, {"事件", "events/index.html"},
	    {"人物", "people/index.html"},  {"搜索", "search/index.html"}};
	np_value *site = np_value_map(a), *l = np_value_list(a, 0);
	np_value_map_set(a, site, "title", np_value_strc(a, "南方日报数字档案"));
	np_value_map_set_int(a, site, "count", 123456);
	for (size_t i = 0; i < 6; i++)
		np_value_list_push(a, l, link(a, nav[i][0], nav[i][1]));
	np_value_map_set(a, site, "nav", l);
	return site;
}

static np_value *article_ctx(np_arena *a, np_str body)
{
	static const char *const authors[] = {"本报记者 李明", "通讯员 王芳", NULL};
	static const char *const people[] = {"张三", "李四", "王五", "赵六", NULL};
	static const char *const places[] = {"珠江", "北江", NULL};
	np_value *ar = np_value_map(a), *regions = np_value_list(a, 0),
	         *events = np_value_list(a, 0);
	np_value_map_set(a, ar, "id", np_value_strc(a, "2022-08-30-0001"));
	np_value_map_set(a, ar, "title", np_value_strc(a, "全省防汛救灾工作取得阶段性成效 <各地>"));
	np_value_map_set(a, ar, "kicker", np_value_strc(a, "众志成城 抗洪救灾"));
	np_value_map_set(a, ar, "subtitle", NULL);
	np_value_map_set(a, ar, "date", np_value_date(a, 2022, 8, 30));
	np_value_map_set_int(a, ar, "page", 3);
	np_value_map_set(a, ar, "authors", strs(a, authors));
	np_value_map_set(a, ar, "source", np_value_strc(a, "人民日报"));
	np_value_map_set(a, ar, "people", strs(a, people));
	np_value_map_set(a, ar, "places", strs(a, places));
	np_value_map_set(a, ar, "body", np_value_safe(a, body));
	np_value_list_push(a, regions, link(a, "广东省", "regions/广东/index.html"));
	np_value_list_push(a, regions, link(a, "广州市", "regions/广东/广州/index.html"));
	np_value_list_push(a, regions, link(a, "韶关市", "regions/广东/韶关/index.html"));
	for (int i = 0; i < 5; i++)
		np_value_list_push(a, events,
		                   link(a, "2022年北江洪水", "events/beijiang-2022/index.html"));
	np_value_map_set(a, ar, "regions", regions);
	np_value_map_set(a, ar, "events", events);
	return ar;
}

static np_value *page_ctx(np_arena *a, np_value *article)
{
	np_value *page = np_value_map(a), *ld = np_value_map(a);
	np_value_map_set(a, page, "url", np_value_strc(a, "articles/2022-08-30/0001/index.html"));
	np_value_map_set(a, page, "section", np_value_strc(a, "dates/index.html"));
	np_value_map_set(a, page, "prev",
	                 link(a, "上一篇：省政府常务会议研究部署秋冬季疫情防控",
	                      "articles/2022-08-30/0000/index.html"));
	np_value_map_set(
	    a, page, "next",
	    link(a, "下一篇：粤北山区早稻收割进度过半", "articles/2022-08-30/0002/index.html"));
	np_value_map_set(a, ld, "@type", np_value_strc(a, "NewsArticle"));
	np_value_map_set(a, ld, "headline", np_value_map_get(article, NP_STR("title")));
	np_value_map_set(a, ld, "datePublished", np_value_strc(a, "2022-08-30"));
	np_value_map_set(a, page, "ld", ld);
	return page;
}

typedef struct job {
	np_tmpl_env *env;
	const np_value *ctx;
	size_t n;
	size_t bytes;
	int failed;
} job;

static const np_tmpl_opts opts = {"articles/2022-08-30/0001/index.html",
                                  "https://archive.example.org", NULL};

static void run(void *ctx, size_t i, unsigned worker)
{
	(void)worker;
	job *j = &((job *)ctx)[i];
	np_buf out;
	np_diags d;
	np_buf_init(&out);
	np_diags_init(&d);
	for (size_t k = 0; k < j->n; k++) {
		np_buf_clear(&out);
		if (np_tmpl_render(j->env, "article.html", j->ctx, &opts, &out, &d)) {
			np_diags_print(&d, stderr);
			j->failed = 1;
			break;
		}
	}
	j->bytes = out.len;
	np_buf_dispose(&out);
	np_diags_dispose(&d);
}

int main(int argc, char **argv)
{
	size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 20000;
	np_arena a;
	np_arena_init(&a);
	np_buf body;
	np_buf_init(&body);
	while (body.len < 3000)
		np_buf_puts(&body,
		            "<p>本报讯 入汛以来，全省各级各部门坚持人民至上、生命至上，"
		            "全力以赴做好防汛救灾各项工作，<em>确保</em>群众生命财产安全。</p>\n");
	np_value *ctx = np_value_map(&a);
	np_value *article = article_ctx(&a, np_str_of(&body));
	np_value_map_set(&a, ctx, "site", site_ctx(&a));
	np_value_map_set(&a, ctx, "article", article);
	np_value_map_set(&a, ctx, "page", page_ctx(&a, article));

	np_tmpl_env *env = np_tmpl_env_new();
	np_tmpl_env_add_string(env, "base.html", NULL, NP_STR(base_html));
	np_tmpl_env_add_string(env, "partials/nav.html", NULL, NP_STR(nav_html));
	np_tmpl_env_add_string(env, "partials/footer.html", NULL, NP_STR(footer_html));
	np_tmpl_env_add_string(env, "article.html", NULL, NP_STR(article_html));
	np_diags d;
	np_diags_init(&d);
	if (np_tmpl_env_load(env, "article.html", &d)) {
		np_diags_print(&d, stderr);
		return 1;
	}
	np_diags_dispose(&d);

	double best = 1e9;
	job one = {env, ctx, n, 0, 0};
	for (int r = 0; r < 3; r++) {
		double t0 = now();
		run(&one, 0, 0);
		double dt = now() - t0;
		best = dt < best ? dt : best;
	}
	if (one.failed)
		return 1;
	printf("article page: %zu bytes (body %zu bytes)\n", one.bytes, body.len);
	printf("1 thread : %8.0f renders/s  (%.1f us/render, %.1f MB/s of HTML)\n", n / best,
	       best / n * 1e6, one.bytes * (double)n / best / 1e6);

	unsigned th = np_pool_default_threads();
	job *jobs = calloc(th, sizeof *jobs);
	for (unsigned i = 0; i < th; i++)
		jobs[i] = (job){env, ctx, n, 0, 0};
	double t0 = now();
	np_pool_for(th, th, run, jobs);
	double dt = now() - t0;
	printf("%u threads: %8.0f renders/s\n", th, (double)n * th / dt);
	free(jobs);
	np_tmpl_env_free(env);
	np_buf_dispose(&body);
	np_arena_dispose(&a);
	return 0;
}
