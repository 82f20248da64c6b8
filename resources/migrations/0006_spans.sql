CREATE TABLE `spans` (
	`span_id` text PRIMARY KEY NOT NULL,
	`trace_id` text NOT NULL,
	`parent_span_id` text,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`start_ms` real NOT NULL,
	`duration_ms` real NOT NULL,
	`status` text NOT NULL,
	`status_message` text,
	`attributes` text NOT NULL,
	`events` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `spans_trace` ON `spans` (`trace_id`);--> statement-breakpoint
CREATE INDEX `spans_name_duration` ON `spans` (`name`,`duration_ms`);--> statement-breakpoint
CREATE INDEX `spans_start` ON `spans` (`start_ms`);