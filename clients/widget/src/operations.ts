/** Every operation the widget sends, all over the socket. Kept terse: each byte ships to every visitor. */
const message = 'id seq body authorKind createdAt clientMessageId agent{id name jobTitle motto}';

export const startSession = `mutation($input:StartVisitorSessionInput!){startVisitorSession(input:$input){visitorToken visitor{id name email} widget{color position greeting language preChatFields{name required}} agentsOnline}}`;

export const history = `query{viewer{visitor{conversations(first:1){edges{node{id status lastSeq agentReadSeq visitorReadSeq messages(last:50){edges{cursor node{${message}}} pageInfo{endCursor}}}}}}}}`;

export const sendMessage = `mutation($input:SendMessageInput!){sendMessage(input:$input){conversation{id status} message{${message}}}}`;

export const updateVisitor = `mutation($input:UpdateVisitorInput!){updateVisitor(input:$input){id name email}}`;

export const setTyping = `mutation($input:SetTypingInput!){setTyping(input:$input)}`;

export const markRead = `mutation($input:MarkReadInput!){markRead(input:$input)}`;

export const conversationEvents = `subscription($id:ID!,$after:String){conversationEvents(conversationId:$id,after:$after){__typename ...on MessageAdded{cursor message{${message}}} ...on TypingChanged{authorKind isTyping agent{name}} ...on MessagesRead{authorKind seq} ...on ConversationUpdated{conversation{id status}}}}`;
