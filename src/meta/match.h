/* Meta-internal: how the gazetteer's names feed the automaton.
 *
 * Every string the matcher knows is one automaton pattern; a pattern can
 * name several regions (朝阳区 ×2) in several ways, each an np_name_ref. */
#ifndef NP_META_MATCH_H
#define NP_META_MATCH_H

#include "meta/ac.h"
#include "meta/gazetteer.h"

typedef enum np_name_kind {
	NP_NAME_FULL,    /* full official name: 灵武市 */
	NP_NAME_SHORT,   /* safe short name from the `short` column: 灵武 */
	NP_NAME_VARIANT, /* short + 州/县/旗 for autonomous units: 黔南州, 威宁县 */
	NP_NAME_CONTEXT, /* blanked short name (马尾, 朝阳): only right after an
	                  * ancestor's name, as in 福州马尾 */
	NP_NAME_GENERIC, /* generic full name (城区, 新县): only right after an
	                  * ancestor's name, as in 阳泉市城区 */
	NP_NAME_VETO,    /* a word that only looks like a place (长治久安) */
} np_name_kind;

typedef struct np_name_ref {
	const np_region *region; /* NULL for NP_NAME_VETO */
	np_name_kind kind;
} np_name_ref;

const np_ac *np_gazetteer_ac(const np_gazetteer *g);
/* The refs of automaton pattern id; returns their number. */
size_t np_gazetteer_refs(const np_gazetteer *g, int32_t id, const np_name_ref **out);

#endif
