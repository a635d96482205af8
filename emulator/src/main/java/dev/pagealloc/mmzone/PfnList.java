package dev.pagealloc.mmzone;

import static dev.pagealloc.mem.MemMapDescriptor.NIL;

import dev.pagealloc.mem.MemMap;

/**
 * {@code include/linux/list.h} over pfns: doubly-linked lists threaded through {@link MemMap}'s
 * {@code lru} words. A list is a slot {@code i} of a pair of head/tail arrays, so one zone's 55 free
 * lists, or one CPU's 3 per-CPU lists, are two small {@code int[]} and no object per page.
 */
public final class PfnList {
    private PfnList() {}

    /** {@code list_empty()}. */
    public static boolean isEmpty(int[] head, int i) {
        return head[i] == NIL;
    }

    /** {@code list_add()}: insert at the head. */
    public static void add(MemMap mm, int[] head, int[] tail, int i, int pfn) {
        int first = head[i];
        mm.setPrev(pfn, NIL);
        mm.setNext(pfn, first);
        if (first == NIL) {
            tail[i] = pfn;
        } else {
            mm.setPrev(first, pfn);
        }
        head[i] = pfn;
    }

    /** {@code list_add_tail()}: insert at the tail. */
    public static void addTail(MemMap mm, int[] head, int[] tail, int i, int pfn) {
        int last = tail[i];
        mm.setNext(pfn, NIL);
        mm.setPrev(pfn, last);
        if (last == NIL) {
            head[i] = pfn;
        } else {
            mm.setNext(last, pfn);
        }
        tail[i] = pfn;
    }

    /** {@code list_add(new, &at->lru)}: insert right after the element {@code at}. */
    public static void addAfter(MemMap mm, int[] head, int[] tail, int i, int at, int pfn) {
        int after = mm.next(at);
        mm.setPrev(pfn, at);
        mm.setNext(pfn, after);
        mm.setNext(at, pfn);
        if (after == NIL) {
            tail[i] = pfn;
        } else {
            mm.setPrev(after, pfn);
        }
    }

    /** {@code list_add_tail(new, &at->lru)}: insert right before the element {@code at}. */
    public static void addBefore(MemMap mm, int[] head, int[] tail, int i, int at, int pfn) {
        int before = mm.prev(at);
        mm.setNext(pfn, at);
        mm.setPrev(pfn, before);
        mm.setPrev(at, pfn);
        if (before == NIL) {
            head[i] = pfn;
        } else {
            mm.setNext(before, pfn);
        }
    }

    /** {@code list_del()}. */
    public static void del(MemMap mm, int[] head, int[] tail, int i, int pfn) {
        int n = mm.next(pfn);
        int p = mm.prev(pfn);
        if (p == NIL) {
            head[i] = n;
        } else {
            mm.setNext(p, n);
        }
        if (n == NIL) {
            tail[i] = p;
        } else {
            mm.setPrev(n, p);
        }
        mm.setNext(pfn, NIL);
        mm.setPrev(pfn, NIL);
    }

    /**
     * {@code list_rotate_to_front(&entry->lru, list)}: the list turns so that {@code pfn} is its
     * first element; the elements before it move, in order, behind the old tail.
     */
    public static void rotateToFront(MemMap mm, int[] head, int[] tail, int i, int pfn) {
        int first = head[i];
        if (first == pfn) {
            return;
        }
        int last = mm.prev(pfn);
        int oldTail = tail[i];
        head[i] = pfn;
        mm.setPrev(pfn, NIL);
        mm.setNext(oldTail, first);
        mm.setPrev(first, oldTail);
        mm.setNext(last, NIL);
        tail[i] = last;
    }
}
