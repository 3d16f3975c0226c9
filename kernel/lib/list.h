/*
 * Intrusive circular doubly-linked lists. A node that is in no list points
 * to itself (list_node_init / after list_del), so list_linked() is exact.
 */
#ifndef KERNEL_LIB_LIST_H
#define KERNEL_LIB_LIST_H

#include <stdbool.h>
#include <stddef.h>

struct list_node {
    struct list_node *prev, *next;
};

#define container_of(ptr, type, member) \
    ((type *)((char *)(ptr) - offsetof(type, member)))

static inline void list_init(struct list_node *h)
{
    h->prev = h->next = h;
}

static inline bool list_empty(const struct list_node *h)
{
    return h->next == h;
}

static inline bool list_linked(const struct list_node *n)
{
    return n->next != n;
}

static inline void list_add_tail(struct list_node *h, struct list_node *n)
{
    n->prev = h->prev;
    n->next = h;
    h->prev->next = n;
    h->prev = n;
}

static inline void list_add_head(struct list_node *h, struct list_node *n)
{
    n->next = h->next;
    n->prev = h;
    h->next->prev = n;
    h->next = n;
}

static inline void list_del(struct list_node *n)
{
    n->prev->next = n->next;
    n->next->prev = n->prev;
    n->prev = n->next = n;
}

static inline struct list_node *list_first(const struct list_node *h)
{
    return list_empty(h) ? NULL : h->next;
}

#define list_for_each_safe(pos, tmp, head) \
    for (pos = (head)->next, tmp = pos->next; pos != (head); pos = tmp, tmp = pos->next)

#endif
