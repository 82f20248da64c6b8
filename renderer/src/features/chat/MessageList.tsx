import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useLayoutEffect, useRef } from 'react';
import type { Message } from '../../../../shared/index.js';
import type { ToolCallView, UnavailableTools } from './chat-store.js';
import { MessageItem } from './MessageItem.js';
import { useSearch } from '../search/search-store.js';
import { SummaryDivider, summaryPlacement } from '../summaries/SummaryDivider.js';
import { useSummary } from '../summaries/summary-store.js';

interface Props {
  messages: Message[];
  live: Record<string, string>;
  notices: Record<string, string>;
  unavailableTools: Record<string, UnavailableTools>;
  toolCalls: Record<string, ToolCallView[]>;
  attachments: Record<string, string[]>;
  siblings: Record<string, string[]>;
  /** More messages exist before the first one shown. */
  hasOlder: boolean;
  onLoadOlder(): void;
  onRetry(messageId: string): void;
}

/** A virtualized conversation: only the messages on screen are in the DOM, so long sessions stay fast. */
export function MessageList({ messages, live, notices, unavailableTools, toolCalls, attachments, siblings, hasOlder, onLoadOlder, onRetry }: Props) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const pinnedToBottom = useRef(true);
  const virtualizer = useVirtualizer({
    count: messages.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 120,
    overscan: 6,
    getItemKey: (index) => messages[index]?.id ?? index,
  });

  const onScroll = useCallback(() => {
    const el = scrollRef.current;
    if (!el) return;
    pinnedToBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
    if (hasOlder && el.scrollTop < 600) onLoadOlder();
  }, [hasOlder, onLoadOlder]);

  // Older messages added above keep the reader's place: the view moves down by what was added.
  const firstId = messages[0]?.id;
  const anchor = useRef<{ firstId: string | undefined; height: number }>({ firstId, height: 0 });
  useLayoutEffect(() => {
    const el = scrollRef.current;
    const before = anchor.current;
    if (el && before.firstId && firstId !== before.firstId && messages.some((m) => m.id === before.firstId) && !pinnedToBottom.current) {
      el.scrollTop += el.scrollHeight - before.height;
    }
    anchor.current = { firstId, height: el?.scrollHeight ?? 0 };
  });

  // Follow the conversation while the reader is at the bottom; leave them be when they scrolled up to read.
  const lastText = messages.at(-1)?.content;
  useEffect(() => {
    if (pinnedToBottom.current && messages.length > 0) virtualizer.scrollToIndex(messages.length - 1, { align: 'end' });
  }, [messages.length, lastText, virtualizer]);

  // A search jumped to a message: bring it into view and mark it for a moment (search/jump.ts loaded it).
  const target = useSearch((s) => s.target);
  // The summary's divider goes under the last message it covers.
  const summary = useSummary((s) => s.summary);
  const placement = summaryPlacement(summary, messages);
  const targetIndex = target ? messages.findIndex((m) => m.id === target.messageId) : -1;
  useEffect(() => {
    if (!target || targetIndex < 0) return;
    pinnedToBottom.current = false;
    virtualizer.scrollToIndex(targetIndex, { align: 'center' });
    const done = setTimeout(() => useSearch.setState((s) => (s.target === target ? { target: null } : s)), 2500);
    return () => clearTimeout(done);
  }, [target, targetIndex, virtualizer]);

  return (
    <>
      {/*
        A long chat's summary ends before the loaded messages: said above the list, outside its scroll (reaching the
        top of the list loads older pages, which would move it away), so it is in reach wherever the reader is.
      */}
      {summary && placement === 'banner' ? <SummaryDivider key={summary.id} summary={summary} placement="banner" /> : null}
      <div className="message-list" ref={scrollRef} onScroll={onScroll} data-testid="message-list">
        {hasOlder ? (
          <div className="chat-hint" data-testid="older-messages">
            <button type="button" className="link" onClick={onLoadOlder}>
              Show earlier messages
            </button>
          </div>
        ) : null}
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative', width: '100%' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const message = messages[item.index];
            if (!message) return null;
            return (
              <div
                key={item.key}
                data-index={item.index}
                ref={virtualizer.measureElement}
                className={message.id === target?.messageId ? 'jump-target' : undefined}
                data-jump-target={message.id === target?.messageId || undefined}
                style={{ position: 'absolute', top: 0, left: 0, width: '100%', transform: `translateY(${item.start}px)` }}
              >
                <MessageItem
                  message={message}
                  streaming={message.id in live}
                  notice={notices[message.id] ?? null}
                  unavailable={unavailableTools[message.id]}
                  toolCalls={toolCalls[message.id]}
                  files={attachments[message.id]}
                  siblings={siblings[message.id]}
                  onRetry={onRetry}
                />
                {summary && placement === 'below' && summary.toMessageId === message.id ? <SummaryDivider summary={summary} /> : null}
              </div>
            );
          })}
        </div>
      </div>
    </>
  );
}
