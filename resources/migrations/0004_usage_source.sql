PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_tool_calls` (
	`id` text PRIMARY KEY NOT NULL,
	`message_id` text NOT NULL,
	`step_id` text,
	`ordinal` integer NOT NULL,
	`server` text,
	`tool` text NOT NULL,
	`provider_call_id` text,
	`input` text,
	`output` text,
	`status` text NOT NULL,
	`error` text,
	`evaluation` text,
	`span_id` text,
	`started_at` integer,
	`finished_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`message_id`) REFERENCES `messages`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`step_id`) REFERENCES `agent_steps`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
INSERT INTO `__new_tool_calls`("id", "message_id", "step_id", "ordinal", "server", "tool", "provider_call_id", "input", "output", "status", "error", "evaluation", "span_id", "started_at", "finished_at", "created_at", "updated_at", "deleted_at") SELECT "id", "message_id", "step_id", "ordinal", "server", "tool", "provider_call_id", "input", "output", "status", "error", "evaluation", "span_id", "started_at", "finished_at", "created_at", "updated_at", "deleted_at" FROM `tool_calls`;--> statement-breakpoint
DROP TABLE `tool_calls`;--> statement-breakpoint
ALTER TABLE `__new_tool_calls` RENAME TO `tool_calls`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `tool_calls_message` ON `tool_calls` (`message_id`,`ordinal`);--> statement-breakpoint
CREATE INDEX `tool_calls_tool` ON `tool_calls` (`server`,`tool`);--> statement-breakpoint
CREATE INDEX `tool_calls_step` ON `tool_calls` (`step_id`);--> statement-breakpoint
ALTER TABLE `messages` ADD `usage_source` text;