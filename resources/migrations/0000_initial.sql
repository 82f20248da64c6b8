CREATE TABLE `agent_steps` (
	`id` text PRIMARY KEY NOT NULL,
	`message_id` text NOT NULL,
	`ordinal` integer NOT NULL,
	`kind` text NOT NULL,
	`content` text NOT NULL,
	`data` text,
	`span_id` text,
	`started_at` integer NOT NULL,
	`finished_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`message_id`) REFERENCES `messages`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `agent_steps_message` ON `agent_steps` (`message_id`,`ordinal`);--> statement-breakpoint
CREATE TABLE `attachments` (
	`id` text PRIMARY KEY NOT NULL,
	`session_id` text NOT NULL,
	`message_id` text,
	`hash` text NOT NULL,
	`name` text NOT NULL,
	`mime_type` text NOT NULL,
	`size` integer NOT NULL,
	`extracted_text` text,
	`created_at` integer NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`session_id`) REFERENCES `sessions`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`message_id`) REFERENCES `messages`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `attachments_message` ON `attachments` (`message_id`);--> statement-breakpoint
CREATE INDEX `attachments_hash` ON `attachments` (`hash`);--> statement-breakpoint
CREATE TABLE `messages` (
	`id` text PRIMARY KEY NOT NULL,
	`session_id` text NOT NULL,
	`parent_id` text,
	`depth` integer NOT NULL,
	`role` text NOT NULL,
	`content` text NOT NULL,
	`text` text NOT NULL,
	`reasoning` text,
	`provider` text,
	`model` text,
	`status` text NOT NULL,
	`input_tokens` integer,
	`output_tokens` integer,
	`cached_input_tokens` integer,
	`cache_write_tokens` integer,
	`reasoning_tokens` integer,
	`estimated_input_tokens` integer,
	`cost_usd` real,
	`provider_response_id` text,
	`started_at` integer,
	`first_token_at` integer,
	`finished_at` integer,
	`error` text,
	`feedback` text,
	`trace_id` text,
	`created_at` integer NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`session_id`) REFERENCES `sessions`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`parent_id`) REFERENCES `messages`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `messages_session` ON `messages` (`session_id`,`id`);--> statement-breakpoint
CREATE INDEX `messages_parent` ON `messages` (`parent_id`);--> statement-breakpoint
CREATE TABLE `meta` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`title` text NOT NULL,
	`title_source` text NOT NULL,
	`settings` text NOT NULL,
	`context_summary` text,
	`active_leaf_id` text,
	`message_count` integer DEFAULT 0 NOT NULL,
	`last_activity_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` text NOT NULL,
	`deleted_at` integer
);
--> statement-breakpoint
CREATE INDEX `sessions_live_recent` ON `sessions` (`last_activity_at`,`id`) WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE TABLE `tool_calls` (
	`id` text PRIMARY KEY NOT NULL,
	`message_id` text NOT NULL,
	`step_id` text,
	`ordinal` integer NOT NULL,
	`server` text NOT NULL,
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
CREATE INDEX `tool_calls_message` ON `tool_calls` (`message_id`,`ordinal`);--> statement-breakpoint
CREATE INDEX `tool_calls_tool` ON `tool_calls` (`server`,`tool`);