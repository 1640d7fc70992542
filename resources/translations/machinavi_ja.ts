<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja_JP">
  <context>
    <name>About</name>
    <message>
      <location filename="../../app/ui/dialogs.py" line="+34" />
      <source>App version</source>
      <translation>アプリのバージョン</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Catalog built</source>
      <translation>カタログの作成日時</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Catalog edition</source>
      <translation>カタログの版名</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Catalog version</source>
      <translation>カタログの版</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Entries</source>
      <translation>掲載サービス数</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Cited sources</source>
      <translation>出典数</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Municipalities</source>
      <translation>自治体</translation>
    </message>
    <message>
      <location line="+4" />
      <source>Machi Navi</source>
      <translation>まちナビ</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Offline catalog of Japanese smart-city services, mapped onto the Smart City Reference Architecture.</source>
      <translation>日本のスマートシティ・サービスを、スマートシティリファレンスアーキテクチャに対応づけて引けるオフラインのカタログです。</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Data sources</source>
      <translation>データの出典</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Every entry lists its own sources; mappings marked Editorial are our own judgement.</source>
      <translation>各エントリに出典を記載しています。「編集判断」と示した対応づけは、このカタログ独自の判断です。</translation>
    </message>
    <message>
      <location line="+7" />
      <source>About Machi Navi</source>
      <translation>まちナビについて</translation>
    </message>
  </context>
  <context>
    <name>Actions</name>
    <message>
      <location filename="../../app/ui/actions.py" line="+110" />
      <source>&amp;File</source>
      <translation>ファイル(&amp;F)</translation>
    </message>
    <message>
      <location line="+1" />
      <source>&amp;View</source>
      <translation>表示(&amp;V)</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Language</source>
      <translation>言語</translation>
    </message>
    <message>
      <location line="+1" />
      <source>&amp;Plan</source>
      <translation>計画(&amp;P)</translation>
    </message>
    <message>
      <location line="+1" />
      <source>&amp;Help</source>
      <translation>ヘルプ(&amp;H)</translation>
    </message>
    <message>
      <location line="+4" />
      <source>Rebuild the catalog</source>
      <translation>カタログを再構築</translation>
    </message>
    <message>
      <location line="+2" />
      <source>Restore plans from a backup…</source>
      <translation>計画をバックアップから復元…</translation>
    </message>
    <message>
      <location line="+2" />
      <source>Catalog packs…</source>
      <translation>カタログパック…</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Settings…</source>
      <translation>設定…</translation>
    </message>
    <message>
      <location line="+2" />
      <source>Export results (CSV / Excel)…</source>
      <translation>検索結果を書き出す（CSV / Excel）…</translation>
    </message>
    <message>
      <location line="+2" />
      <source>Quit</source>
      <translation>終了</translation>
    </message>
    <message>
      <location line="+2" />
      <source>Catalog</source>
      <translation>カタログ</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Architecture</source>
      <translation>アーキテクチャ</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Plan</source>
      <translation>計画</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Map of the results</source>
      <translation>検索結果の地図</translation>
    </message>
    <message>
      <location line="+2" />
      <source>Municipality page…</source>
      <translation>自治体のページ…</translation>
    </message>
    <message>
      <location line="+2" />
      <source>Zoom in</source>
      <translation>拡大</translation>
    </message>
    <message>
      <location line="+2" />
      <source>Zoom out</source>
      <translation>縮小</translation>
    </message>
    <message>
      <location line="+2" />
      <source>Actual size</source>
      <translation>標準の大きさ</translation>
    </message>
    <message>
      <location line="+1" />
      <source>High contrast</source>
      <translation>ハイコントラスト</translation>
    </message>
    <message>
      <location line="+2" />
      <source>Full screen</source>
      <translation>全画面表示</translation>
    </message>
    <message>
      <location line="+2" />
      <source>Presenter mode</source>
      <translation>プレゼンターモード</translation>
    </message>
    <message>
      <location line="+2" />
      <source>Start demo…</source>
      <translation>デモを開始…</translation>
    </message>
    <message>
      <location line="+3" />
      <source>Add selection to plan</source>
      <translation>選択したサービスを計画に追加</translation>
    </message>
    <message>
      <location line="+2" />
      <source>Export plan to a file (.machiplan)…</source>
      <translation>計画を書き出す（.machiplan）…</translation>
    </message>
    <message>
      <location line="+2" />
      <source>Import a plan file (.machiplan)…</source>
      <translation>計画を読み込む（.machiplan）…</translation>
    </message>
    <message>
      <location line="+2" />
      <source>Guided tour</source>
      <translation>ガイドツアー</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Focus search</source>
      <translation>検索欄へ移動</translation>
    </message>
    <message>
      <location line="+2" />
      <source>Command palette…</source>
      <translation>コマンドパレット…</translation>
    </message>
    <message>
      <location line="+2" />
      <source>About Machi Navi</source>
      <translation>まちナビについて</translation>
    </message>
    <message>
      <location line="+2" />
      <source>Clear the search (or close the tour)</source>
      <translation>検索をクリア（ツアー中はツアーを閉じる）</translation>
    </message>
  </context>
  <context>
    <name>ArchitecturePane</name>
    <message>
      <location filename="../../app/ui/architecture_pane.py" line="+96" />
      <source>Added the filter %1</source>
      <translation>条件 %1 を追加しました</translation>
    </message>
    <message>
      <location line="+0" />
      <source>Removed the filter %1</source>
      <translation>条件 %1 を外しました</translation>
    </message>
    <message>
      <location line="+40" />
      <source>%1 services for “%2”</source>
      <translation>「%2」のサービス %1 件</translation>
    </message>
    <message>
      <location line="+2" />
      <source>%1 services — click a box to filter</source>
      <translation>サービス %1 件 — 図の箱をクリックで絞り込み</translation>
    </message>
    <message>
      <location line="+37" />
      <source>Loading…</source>
      <translation>読み込み中…</translation>
    </message>
  </context>
  <context>
    <name>ArchitectureView</name>
    <message>
      <location filename="../../app/ui/architecture_view.py" line="+148" />
      <source>Sourced</source>
      <translation>出典あり</translation>
    </message>
    <message>
      <location line="+2" />
      <source>Editorial (our own placement)</source>
      <translation>編集判断（このカタログ独自の配置）</translation>
    </message>
    <message>
      <location line="+7" />
      <source>2nd edition: %1</source>
      <translation>第2版: %1</translation>
    </message>
    <message>
      <location line="+6" />
      <source>Sourced (出典あり)</source>
      <translation>出典あり</translation>
    </message>
    <message>
      <location line="+0" />
      <source>Editorial (編集判断)</source>
      <translation>編集判断</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Covered by the selected service</source>
      <translation>選んだサービスが対応</translation>
    </message>
    <message>
      <location line="+41" />
      <source>City OS</source>
      <translation>都市OS</translation>
    </message>
    <message>
      <location line="+2" />
      <source>Smart City Reference Architecture</source>
      <translation>スマートシティリファレンスアーキテクチャ</translation>
    </message>
    <message>
      <location line="-1" />
      <location line="+222" />
      <source>2nd edition (2023)</source>
      <translation>第2版（2023）</translation>
    </message>
    <message>
      <location line="-282" />
      <source>%1 of the current results map here</source>
      <translation>現在の結果のうち %1 件がここに対応</translation>
    </message>
    <message>
      <location line="+18" />
      <source>In the query (chip)</source>
      <translation>検索条件にある箱（チップ）</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Current results mapped to the box</source>
      <translation>箱に対応する現在の結果の件数</translation>
    </message>
    <message>
      <location line="+3" />
      <source>Gap: %1</source>
      <translation>不足: %1</translation>
    </message>
    <message>
      <location line="+2" />
      <source>Click a box to add it to the query, click again to remove it · ← → groups · Enter zooms into a group · Esc back · Ctrl+wheel zooms</source>
      <translation>箱をクリックで検索条件に追加、もう一度で解除 · ← → で機能群を移動 · Enter で機能群を拡大 · Esc で戻る · Ctrl+ホイールで拡大縮小</translation>
    </message>
    <message>
      <location line="+36" />
      <location line="+223" />
      <source>1st edition (2020)</source>
      <translation>第1版（2020）</translation>
    </message>
    <message>
      <location line="-128" />
      <source>Plan coverage: %1 %2</source>
      <translation>計画のカバー状況: %1 %2</translation>
    </message>
    <message>
      <location line="+4" />
      <source>%1 %2 gap here or below: %3</source>
      <translation>%1 この箱か配下に%2の不足: %3</translation>
    </message>
    <message>
      <location line="+90" />
      <location line="+7" />
      <source>Export the figure</source>
      <translation>図を書き出し</translation>
    </message>
    <message>
      <location line="-6" />
      <source>PNG image (*.png);;SVG image (*.svg)</source>
      <translation>PNG 画像 (*.png);;SVG 画像 (*.svg)</translation>
    </message>
    <message>
      <location line="+34" />
      <source>1st-edition groups, counted through their editorial mapping to the 2nd edition</source>
      <translation>第1版の機能群。件数は第2版への対応（編集判断）を通して数えています</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Plan overlay</source>
      <translation>計画を重ねる</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Colour the boxes by the current plan's coverage and outline its gaps</source>
      <translation>現在の計画のカバー状況で箱を色分けし、不足を枠で示します</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Fit</source>
      <translation>全体表示</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Show the whole figure (again: fit the figure to the pane)</source>
      <translation>図の全体を表示（もう一度押すと枠の幅に合わせます）</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Zoom in (Ctrl+wheel)</source>
      <translation>拡大（Ctrl+ホイール）</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Zoom out (Ctrl+wheel)</source>
      <translation>縮小（Ctrl+ホイール）</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Export…</source>
      <translation>書き出し…</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Save the figure as PNG or SVG for slides</source>
      <translation>スライド用に図を PNG または SVG で保存します</translation>
    </message>
  </context>
  <context>
    <name>BuildProgress</name>
    <message>
      <location filename="../../app/ui/build_progress.py" line="+29" />
      <source>Reading catalog files…</source>
      <translation>カタログのファイルを読み込んでいます…</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Writing the database…</source>
      <translation>データベースに書き込んでいます…</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Building the search index…</source>
      <translation>検索インデックスを作成しています…</translation>
    </message>
    <message>
      <location line="+37" />
      <source>Building the catalog (%1/%2): %3</source>
      <translation>カタログを構築中（%1/%2）：%3</translation>
    </message>
    <message>
      <location line="+117" />
      <source>Rebuild the catalog</source>
      <translation>カタログを再構築</translation>
    </message>
    <message>
      <location line="+1" />
      <source>The catalog could not be rebuilt:
%1</source>
      <translation>カタログを再構築できませんでした：
%1</translation>
    </message>
  </context>
  <context>
    <name>Chip</name>
    <message>
      <location filename="../../app/ui/query_bar.py" line="+108" />
      <source>not</source>
      <translation>除外</translation>
    </message>
    <message>
      <location line="+6" />
      <source>Read as the words: %1</source>
      <translation>次の語として検索しました: %1</translation>
    </message>
    <message>
      <location line="+4" />
      <source>Remove this condition</source>
      <translation>この条件を外す</translation>
    </message>
  </context>
  <context>
    <name>CommandPalette</name>
    <message>
      <location filename="../../app/ui/palette.py" line="+127" />
      <source>Command palette</source>
      <translation>コマンドパレット</translation>
    </message>
    <message>
      <location line="+3" />
      <source>Type a command — Japanese or English</source>
      <translation>コマンド名を入力（日本語でも英語でも）</translation>
    </message>
  </context>
  <context>
    <name>CoverageDiagram</name>
    <message>
      <location filename="../../app/ui/plan_models.py" line="+327" />
      <source>Pick a plan to see its SCRA coverage</source>
      <translation>計画を選ぶとカバー率が表示されます</translation>
    </message>
    <message>
      <location line="+33" />
      <source>%1 service(s)</source>
      <translation>サービス %1 件</translation>
    </message>
    <message>
      <location line="+5" />
      <source>%1 %2 gap in this group despite its coverage: %3</source>
      <translation>%1 カバー率にかかわらず、この機能群には%2の不足があります: %3</translation>
    </message>
  </context>
  <context>
    <name>DemoPlayer</name>
    <message>
      <location filename="../../app/ui/demo_player.py" line="+84" />
      <source>Not found in the results: %1</source>
      <translation>結果に見つかりません: %1</translation>
    </message>
    <message>
      <location line="+8" />
      <source>Not in the catalog: %1</source>
      <translation>カタログにありません: %1</translation>
    </message>
    <message>
      <location line="+12" />
      <source>No plan yet: the overlay needs a plan with services</source>
      <translation>計画がまだありません。重ねて表示するには、サービスの入った計画が必要です</translation>
    </message>
    <message>
      <location line="+9" />
      <source>No such group: %1</source>
      <translation>その機能群はありません: %1</translation>
    </message>
    <message>
      <location line="+7" />
      <source>No plan named “%1”</source>
      <translation>「%1」という計画はありません</translation>
    </message>
    <message>
      <location line="+23" />
      <source>The plan has no such gap</source>
      <translation>計画にその不足はありません</translation>
    </message>
    <message>
      <location line="+90" />
      <source>%1 — step %2 of %3</source>
      <translation>%1 — %2 / %3</translation>
    </message>
    <message>
      <location line="+4" />
      <source>Back</source>
      <translation>戻る</translation>
    </message>
    <message>
      <location line="+2" />
      <source>End</source>
      <translation>終わり</translation>
    </message>
    <message>
      <location line="+0" />
      <source>Next</source>
      <translation>次へ</translation>
    </message>
    <message>
      <location line="+1" />
      <source>End the demo</source>
      <translation>デモを終える</translation>
    </message>
    <message>
      <location line="+37" />
      <source>Start demo</source>
      <translation>デモを開始</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Demo script:</source>
      <translation>デモの台本:</translation>
    </message>
    <message>
      <location filename="../../app/ui/presenter.py" line="+129" />
      <source>Demo script</source>
      <translation>デモの台本</translation>
    </message>
  </context>
  <context>
    <name>DetailPane</name>
    <message>
      <location filename="../../app/ui/detail_view.py" line="+170" />
      <source>Add to plan</source>
      <translation>計画に追加</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Add this service to the current plan (Enter)</source>
      <translation>このサービスを現在の計画に追加（Enter）</translation>
    </message>
    <message>
      <location line="+1" />
      <source>SCRA mapping</source>
      <translation>SCRAへの対応</translation>
    </message>
    <message>
      <location line="+2" />
      <source>Entry: the entry itself states this mapping. Field default: the entry states none, so the field's usual mapping applies. Sourced / Editorial: the SCRA node is taken from a source, or is our own judgement.</source>
      <translation>エントリ記載: サービスのエントリ自体にこの対応が書かれています。分野の既定: エントリに記載がないため、分野の標準的な対応を当てています。出典あり／編集判断: SCRA の機能が公開資料に基づくか、当方の判断かを示します。</translation>
    </message>
    <message>
      <location line="+3" />
      <source>Sources</source>
      <translation>出典</translation>
    </message>
    <message>
      <location line="+1" />
      <location line="+216" />
      <source>Copy URL</source>
      <translation>URLをコピー</translation>
    </message>
    <message>
      <location line="-215" />
      <location line="+216" />
      <source>Open in browser</source>
      <translation>ブラウザで開く</translation>
    </message>
    <message>
      <location line="-215" />
      <source>Open the selected source in the system web browser</source>
      <translation>選んだ出典を既定のWebブラウザで開きます</translation>
    </message>
    <message>
      <location line="+8" />
      <source>Show services for this node</source>
      <translation>この機能のサービスを表示</translation>
    </message>
    <message>
      <location line="+2" />
      <source>Show in architecture</source>
      <translation>アーキテクチャ図で見る</translation>
    </message>
    <message>
      <location line="+14" />
      <source>No entry selected</source>
      <translation>項目が選ばれていません</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Search, then pick a result to see its details here.</source>
      <translation>検索して結果を選ぶと、ここに詳細が表示されます。</translation>
    </message>
    <message>
      <location line="+19" />
      <source>Entry: the entry itself states this mapping.</source>
      <translation>エントリ記載: サービスのエントリ自体にこの対応が書かれています。</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Field default: the entry states no mapping; the field's usual mapping applies.</source>
      <translation>分野の既定: エントリに対応の記載がないため、分野の標準的な対応を当てています。</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Sourced: the SCRA node is taken from a public source.</source>
      <translation>出典あり: この SCRA の機能は公開資料に基づきます。</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Editorial: the SCRA node is our own judgement.</source>
      <translation>編集判断: この SCRA の機能は当方の判断によるものです。</translation>
    </message>
    <message>
      <location line="+4" />
      <source>Sourced</source>
      <translation>出典あり</translation>
    </message>
    <message>
      <location line="+0" />
      <source>Editorial</source>
      <translation>編集判断</translation>
    </message>
    <message>
      <location line="+22" />
      <source> and %1 more</source>
      <translation> ほか %1 件</translation>
    </message>
    <message>
      <location line="+2" />
      <source>Provider</source>
      <translation>提供者</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Pack</source>
      <translation>パック</translation>
    </message>
    <message>
      <location line="+0" />
      <source>Pack: %1</source>
      <translation>パック: %1</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Field</source>
      <translation>分野</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Kind</source>
      <translation>種別</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Municipalities</source>
      <translation>自治体</translation>
    </message>
    <message>
      <location line="+0" />
      <source>(none listed)</source>
      <translation>（記載なし）</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Personal data handled</source>
      <translation>取り扱う個人データ</translation>
    </message>
    <message>
      <location line="+1" />
      <source>TYPE</source>
      <translation>タイプ</translation>
    </message>
    <message>
      <location line="+0" />
      <source>uses data linkage</source>
      <translation>データ連携あり</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Use fields</source>
      <translation>利用分野</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Sectors</source>
      <translation>領域</translation>
    </message>
    <message>
      <location line="+7" />
      <source>Not confirmed</source>
      <translation>未確認の事項</translation>
    </message>
    <message>
      <location line="+9" />
      <source>Provides</source>
      <translation>提供</translation>
    </message>
    <message>
      <location line="+0" />
      <source>Uses</source>
      <translation>利用</translation>
    </message>
    <message>
      <location line="+2" />
      <source>Entry</source>
      <translation>エントリ記載</translation>
    </message>
    <message>
      <location line="+0" />
      <source>Field default</source>
      <translation>分野の既定</translation>
    </message>
    <message>
      <location line="+28" />
      <source>Context layer</source>
      <translation>周辺レイヤ</translation>
    </message>
    <message>
      <location line="+0" />
      <source>Function group</source>
      <translation>機能群</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Function block</source>
      <translation>機能ブロック</translation>
    </message>
    <message>
      <location line="+0" />
      <source>Function</source>
      <translation>機能</translation>
    </message>
    <message>
      <location line="+1" />
      <source>SCRA 2nd edition</source>
      <translation>SCRA 第2版</translation>
    </message>
    <message>
      <location line="+0" />
      <source>SCRA 1st edition</source>
      <translation>SCRA 第1版</translation>
    </message>
    <message>
      <location line="+7" />
      <source>Evidence</source>
      <translation>根拠</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Part of</source>
      <translation>上位</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Catalog entries</source>
      <translation>カタログ掲載数</translation>
    </message>
    <message>
      <location line="+1" />
      <source>2nd-edition counterpart</source>
      <translation>第2版での対応先</translation>
    </message>
    <message>
      <location line="+2" />
      <source>Source note</source>
      <translation>出典メモ</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Editorial rationale</source>
      <translation>編集判断の理由</translation>
    </message>
    <message>
      <location line="+14" />
      <source>Checked %1</source>
      <translation>確認日 %1</translation>
    </message>
    <message>
      <location line="+45" />
      <source>Copied %1</source>
      <translation>%1 をコピーしました</translation>
    </message>
    <message>
      <location line="+5" />
      <source>Opened %1 in the browser</source>
      <translation>%1 をブラウザで開きました</translation>
    </message>
    <message>
      <location line="+17" />
      <source>Link not opened: %1</source>
      <translation>リンクは開きませんでした: %1</translation>
    </message>
  </context>
  <context>
    <name>Export</name>
    <message>
      <location filename="../../app/ui/background_export.py" line="+133" />
      <source>Cancel</source>
      <translation>キャンセル</translation>
    </message>
    <message>
      <location line="+1" />
      <location line="+28" />
      <location line="+14" />
      <source>Export</source>
      <translation>書き出し</translation>
    </message>
    <message>
      <location line="-17" />
      <source>Exported %1 (%2 s)</source>
      <translation>%1 を書き出しました（%2 秒）</translation>
    </message>
    <message>
      <location line="+4" />
      <source>Saved %1</source>
      <translation>%1 に保存しました</translation>
    </message>
    <message>
      <location line="+2" />
      <source>Open folder</source>
      <translation>フォルダを開く</translation>
    </message>
    <message>
      <location line="+9" />
      <source>Export failed: %1</source>
      <translation>書き出しに失敗しました: %1</translation>
    </message>
    <message>
      <location line="+9" />
      <source>Export cancelled; no file was written</source>
      <translation>書き出しを取り消しました（ファイルは作成していません）</translation>
    </message>
    <message>
      <location filename="../../app/ui/report_preview.py" line="+44" />
      <source>Print preview: %1</source>
      <translation>印刷プレビュー: %1</translation>
    </message>
    <message>
      <location line="+46" />
      <source>Print preview</source>
      <translation>印刷プレビュー</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Print preview of the plan report</source>
      <translation>計画レポートの印刷プレビュー</translation>
    </message>
    <message>
      <location line="+15" />
      <source>Preparing the preview…</source>
      <translation>プレビューを準備中…</translation>
    </message>
    <message>
      <location line="+2" />
      <source>Preview failed: %1</source>
      <translation>プレビューを表示できませんでした: %1</translation>
    </message>
  </context>
  <context>
    <name>FacetModel</name>
    <message>
      <location filename="../../app/ui/facet_model.py" line="+213" />
      <source>Refine</source>
      <translation>絞り込み</translation>
    </message>
    <message>
      <location line="+0" />
      <source>Count</source>
      <translation>件数</translation>
    </message>
  </context>
  <context>
    <name>JapanMap</name>
    <message>
      <location filename="../../app/ui/japan_map.py" line="+200" />
      <source>Adoptions per prefecture</source>
      <translation>都道府県ごとの導入数</translation>
    </message>
    <message>
      <location line="+24" />
      <source>%1: %2 adoptions — click to filter</source>
      <translation>%1: 導入 %2 件 — クリックで絞り込み</translation>
    </message>
  </context>
  <context>
    <name>Kinds</name>
    <message>
      <location filename="../../app/ui/models.py" line="+109" />
      <source>SCRA node</source>
      <translation>SCRA</translation>
    </message>
    <message>
      <location line="+0" />
      <source>Service</source>
      <translation>サービス</translation>
    </message>
  </context>
  <context>
    <name>MainWindow</name>
    <message>
      <location filename="../../app/ui/tour.py" line="+200" />
      <source>1. Search</source>
      <translation>1. 検索する</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Type what you are looking for, e.g. オンデマンド or マイナンバーカード. Results update as you type. Filters such as 分野:公共交通 appear as chips; remove a chip to widen the search.</source>
      <translation>探したいことばを入力します（例: オンデマンド、マイナンバーカード）。入力に合わせて結果が変わります。分野:公共交通 のような条件はチップとして並び、チップを消すと条件が外れます。</translation>
    </message>
    <message>
      <location line="+3" />
      <source>2. Refine</source>
      <translation>2. 絞り込む</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Counts per field, prefecture, SCRA layer and more. Click a value to add it to the query.</source>
      <translation>分野・都道府県・SCRAの層などごとの件数です。値をクリックすると検索条件に加わります。</translation>
    </message>
    <message>
      <location line="+2" />
      <source>3. Details</source>
      <translation>3. 詳細を見る</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Pick a result to see its facts, sources and how it maps onto the SCRA — with a badge telling sourced facts from editorial judgement.</source>
      <translation>結果を選ぶと、概要・出典・SCRAへの対応が表示されます。「出典あり」と「編集判断」はバッジで見分けられます。</translation>
    </message>
    <message>
      <location line="+3" />
      <source>4. Architecture</source>
      <translation>4. アーキテクチャで見る</translation>
    </message>
    <message>
      <location line="+1" />
      <source>The SCRA figure with the number of current results per function. Click a box to add it to the search as a chip (click again to remove it); the selected service's boxes are highlighted.</source>
      <translation>SCRAの図に、機能ごとの現在の結果の件数を示します。箱をクリックすると検索条件のチップとして加わり（もう一度で解除）、選んだサービスが対応する箱は強調表示されます。</translation>
    </message>
    <message>
      <location line="+4" />
      <source>5. Plan</source>
      <translation>5. 計画にまとめる</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Press Enter on a result, use “Add to plan”, or drag results onto the Plan tab. The counter shows how many services your plan holds.</source>
      <translation>結果を選んで Enter、「計画に追加」ボタン、または計画タブへのドラッグで計画に加えられます。右上のカウンターが計画のサービス数です。</translation>
    </message>
    <message>
      <location filename="../../app/ui/main_window.py" line="+440" />
      <source>Machi Navi — smart-city catalog</source>
      <translation>まちナビ — スマートシティ・サービスカタログ</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Machi Navi</source>
      <translation>まちナビ</translation>
    </message>
    <message>
      <location line="+2" />
      <source>Tour</source>
      <translation>ツアー</translation>
    </message>
    <message>
      <location line="+1" />
      <source>A short guided tour (F1)</source>
      <translation>使い方の短いツアー（F1）</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Catalog</source>
      <translation>カタログ</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Architecture</source>
      <translation>アーキテクチャ</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Plan</source>
      <translation>計画</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Drop results here to add them to the plan</source>
      <translation>ここに検索結果をドロップすると計画に追加します</translation>
    </message>
    <message>
      <location line="+5" />
      <source>Loading…</source>
      <translation>読み込み中…</translation>
    </message>
    <message>
      <location line="-152" />
      <location line="+3" />
      <source>Plan: %1</source>
      <translation>計画: %1件</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Services in “%1” — click to open, or drop results here</source>
      <translation>「%1」のサービス数 — クリックで開く／検索結果をここにドロップで追加</translation>
    </message>
    <message>
      <location line="-3" />
      <location line="+5" />
      <source>%1 in plan</source>
      <translation>計画に %1 件</translation>
    </message>
    <message>
      <location line="-46" />
      <source>%1 services in the catalog</source>
      <translation>カタログのサービス %1 件</translation>
    </message>
    <message>
      <location line="+4" />
      <source>%1 of %2 services shown</source>
      <translation>サービス %2 件中 %1 件を表示</translation>
    </message>
    <message>
      <location line="+100" />
      <source>Text size %1%</source>
      <translation>文字の大きさ %1%</translation>
    </message>
  </context>
  <context>
    <name>MappingModel</name>
    <message>
      <location filename="../../app/ui/detail_models.py" line="+74" />
      <source>SCRA node</source>
      <translation>SCRAの機能</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Role</source>
      <translation>役割</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Why</source>
      <translation>理由</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Evidence</source>
      <translation>根拠</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Mapping from</source>
      <translation>対応の出どころ</translation>
    </message>
  </context>
  <context>
    <name>PacksDialog</name>
    <message>
      <location filename="../../app/ui/packs_dialog.py" line="+36" />
      <source>Pack</source>
      <translation>パック</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Publisher</source>
      <translation>発行元</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Edition</source>
      <translation>版</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Date</source>
      <translation>日付</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Pack entries</source>
      <translation>エントリ数</translation>
    </message>
    <message>
      <location line="+1" />
      <location line="+2" />
      <source>Key</source>
      <translation>鍵</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Whose key</source>
      <translation>鍵の持ち主</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Added</source>
      <translation>登録日</translation>
    </message>
    <message>
      <location line="+87" />
      <location line="+112" />
      <location line="+8" />
      <source>Catalog packs</source>
      <translation>カタログパック</translation>
    </message>
    <message>
      <location line="-119" />
      <source>Entries published by a prefecture or a vendor as a signed pack. They are kept apart from the bundled catalog and can be removed at any time.</source>
      <translation>都道府県や事業者が署名付きパックとして配布するエントリです。同梱のカタログとは別に保存され、いつでも削除できます。</translation>
    </message>
    <message>
      <location line="+2" />
      <source>Import a pack…</source>
      <translation>パックを取り込む…</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Remove pack</source>
      <translation>パックを削除</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Trusted publisher keys (check a key with its publisher before you add it):</source>
      <translation>信頼する発行元の鍵（登録する前に発行元に鍵を確かめてください）:</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Add a key…</source>
      <translation>鍵を登録…</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Stop trusting</source>
      <translation>信頼をやめる</translation>
    </message>
    <message>
      <location line="+9" />
      <source>%1 (confirmed by you)</source>
      <translation>%1（利用者が確認して取り込み）</translation>
    </message>
    <message>
      <location line="+0" />
      <source>unsigned</source>
      <translation>署名なし</translation>
    </message>
    <message>
      <location line="+26" />
      <location line="+2" />
      <source>Add a key</source>
      <translation>鍵を登録</translation>
    </message>
    <message>
      <location line="-2" />
      <source>Public key (as the publisher gave it):</source>
      <translation>公開鍵（発行元から受け取ったもの）:</translation>
    </message>
    <message>
      <location line="+2" />
      <source>Whose key is it?</source>
      <translation>誰の鍵ですか？</translation>
    </message>
    <message>
      <location line="+39" />
      <source>Import a pack</source>
      <translation>パックを取り込む</translation>
    </message>
    <message>
      <location line="+0" />
      <source>Catalog packs (*.zip)</source>
      <translation>カタログパック (*.zip)</translation>
    </message>
    <message>
      <location line="+12" />
      <source>%1

Import it anyway? Only do so if you know who made this pack.</source>
      <translation>%1

それでも取り込みますか？ 作成元を確かめられる場合だけ取り込んでください。</translation>
    </message>
    <message>
      <location line="+12" />
      <source>Remove the pack %1 and its entries? Plans keep them, shown as missing.</source>
      <translation>パック %1 とそのエントリを削除しますか？ 計画では「見つからない」として残ります。</translation>
    </message>
  </context>
  <context>
    <name>PlanBasket</name>
    <message>
      <location filename="../../app/ui/plan_basket.py" line="+86" />
      <source>My plan</source>
      <translation>マイ計画</translation>
    </message>
    <message>
      <location line="+13" />
      <source>Plan “%1”: %2 services</source>
      <translation>計画「%1」: サービス %2 件</translation>
    </message>
    <message>
      <location line="+15" />
      <source>Remove from plan</source>
      <translation>計画から外す</translation>
    </message>
  </context>
  <context>
    <name>PlanFiles</name>
    <message>
      <location filename="../../app/ui/plan_files.py" line="+27" />
      <source>Machi Navi plan</source>
      <translation>まちナビの計画</translation>
    </message>
    <message>
      <location line="+19" />
      <source>There is no plan to export yet.</source>
      <translation>書き出す計画がまだありません。</translation>
    </message>
    <message>
      <location line="+3" />
      <location line="+10" />
      <source>Export plan</source>
      <translation>計画を書き出す</translation>
    </message>
    <message>
      <location line="+2" />
      <source>Exported “%1” to %2</source>
      <translation>「%1」を %2 に書き出しました</translation>
    </message>
    <message>
      <location line="+16" />
      <source>Imported the plan “%1”: %2 services, %3 answers.</source>
      <translation>計画「%1」を読み込みました（サービス %2 件、回答 %3 件）。</translation>
    </message>
    <message>
      <location line="+2" />
      <source>A plan named “%1” already exists, so the imported plan was named “%2”.</source>
      <translation>「%1」という計画はすでにあるため、読み込んだ計画の名前を「%2」にしました。</translation>
    </message>
    <message>
      <location line="+2" />
      <source>%1 services are not in this catalog; they are kept in the plan and marked as missing:</source>
      <translation>%1 件のサービスはこのカタログにありません。計画には残し、「カタログにありません」と表示します：</translation>
    </message>
    <message>
      <location line="+6" />
      <source>Exported from catalog edition %1; this catalog is %2.</source>
      <translation>書き出したときのカタログは %1、このカタログは %2 です。</translation>
    </message>
    <message>
      <location line="+9" />
      <source>Plans are not available yet.</source>
      <translation>計画はまだ使えません。</translation>
    </message>
    <message>
      <location line="+3" />
      <location line="+10" />
      <location line="+5" />
      <source>Import plan</source>
      <translation>計画を読み込む</translation>
    </message>
    <message>
      <location line="-1" />
      <source>Imported “%1”</source>
      <translation>「%1」を読み込みました</translation>
    </message>
  </context>
  <context>
    <name>PlanItemsModel</name>
    <message>
      <location filename="../../app/ui/plan_models.py" line="-295" />
      <source>Service</source>
      <translation>サービス</translation>
    </message>
    <message>
      <location line="+0" />
      <source>Field</source>
      <translation>分野</translation>
    </message>
    <message>
      <location line="+0" />
      <source>Note</source>
      <translation>メモ</translation>
    </message>
    <message>
      <location line="+24" />
      <source> (not in the catalog)</source>
      <translation>（カタログにありません）</translation>
    </message>
    <message>
      <location line="+12" />
      <source>“%1” (%2) is no longer in the catalog. It stays in the plan.</source>
      <translation>「%1」（%2）は現在のカタログにありません。計画には残してあります。</translation>
    </message>
  </context>
  <context>
    <name>PlanPane</name>
    <message>
      <location filename="../../app/ui/plan_pane.py" line="+198" />
      <source>Added %1 to “%2”</source>
      <translation>%1 件を「%2」に追加しました</translation>
    </message>
    <message>
      <location line="+2" />
      <source>Already in “%1”</source>
      <translation>すでに「%1」に入っています</translation>
    </message>
    <message>
      <location line="+16" />
      <source>Plans are not available.</source>
      <translation>計画は使えません。</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Loading…</source>
      <translation>読み込み中…</translation>
    </message>
  </context>
  <context>
    <name>PlanProperties</name>
    <message>
      <location filename="../../app/ui/plan_properties.py" line="+22" />
      <location line="+26" />
      <source>Report properties</source>
      <translation>レポートの表紙項目</translation>
    </message>
    <message>
      <location line="-22" />
      <source>e.g. Toyoake City, Aichi</source>
      <translation>例: 愛知県豊明市</translation>
    </message>
    <message>
      <location line="+3" />
      <source>Officer or section</source>
      <translation>担当者名または担当課</translation>
    </message>
    <message>
      <location line="+3" />
      <source>Date reports in the Japanese era (Reiwa)</source>
      <translation>レポートの日付を和暦（令和）で書く</translation>
    </message>
    <message>
      <location line="+3" />
      <source>Municipality:</source>
      <translation>自治体:</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Author:</source>
      <translation>作成者:</translation>
    </message>
  </context>
  <context>
    <name>PlanView</name>
    <message>
      <location filename="../../app/ui/plan_view.py" line="+101" />
      <location line="+305" />
      <source>Plan 1</source>
      <translation>計画1</translation>
    </message>
    <message>
      <location line="-301" />
      <source>Add services</source>
      <translation>サービスを追加</translation>
    </message>
    <message>
      <location line="+2" />
      <source>Added %1 to “%2”</source>
      <translation>%1 件を「%2」に追加しました</translation>
    </message>
    <message>
      <location line="+142" />
      <source>Plan:</source>
      <translation>計画:</translation>
    </message>
    <message>
      <location line="+1" />
      <source>New…</source>
      <translation>新規…</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Rename…</source>
      <translation>名前を変更…</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Delete…</source>
      <translation>削除…</translation>
    </message>
    <message>
      <location line="+2" />
      <source>Export:</source>
      <translation>書き出し:</translation>
    </message>
    <message>
      <location line="+2" />
      <source>Export the plan report as %1</source>
      <translation>計画レポートを %1 で書き出す</translation>
    </message>
    <message>
      <location filename="../../app/ui/plan_items_panel.py" line="+93" />
      <source>Move up</source>
      <translation>上へ</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Move down</source>
      <translation>下へ</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Remove</source>
      <translation>外す</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Remove the selected services from the plan (Delete); can be undone</source>
      <translation>選んだサービスを計画から外す（Delete）。元に戻せます</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Undo</source>
      <translation>元に戻す</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Redo</source>
      <translation>やり直す</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Remove from plan</source>
      <translation>計画から外す</translation>
    </message>
    <message>
      <location filename="../../app/ui/plan_view.py" line="+2" />
      <source>SCRA coverage</source>
      <translation>SCRA カバレッジ</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Gaps</source>
      <translation>ギャップ</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Considerations</source>
      <translation>検討事項</translation>
    </message>
    <message>
      <location filename="../../app/ui/plan_panels.py" line="+61" />
      <source>SCRA node</source>
      <translation>SCRA ノード</translation>
    </message>
    <message>
      <location line="+0" />
      <source>Status</source>
      <translation>状態</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Covered by</source>
      <translation>対応するサービス</translation>
    </message>
    <message>
      <location line="+89" />
      <source>Severity</source>
      <translation>重要度</translation>
    </message>
    <message>
      <location line="+0" />
      <source>Node / suggestion</source>
      <translation>ノード／候補</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Reason</source>
      <translation>理由</translation>
    </message>
    <message>
      <location filename="../../app/ui/plan_view.py" line="+22" />
      <location line="+20" />
      <source>%1 (%2)</source>
      <translation>%1（%2件）</translation>
    </message>
    <message>
      <location line="+31" />
      <source>No plan yet. Create one with “New…”, or use “Add to plan” in the catalog.</source>
      <translation>計画がありません。「新規…」で作るか、カタログから「計画に追加」してください。</translation>
    </message>
    <message>
      <location line="+12" />
      <source>Services in “%1”: %2</source>
      <translation>「%1」のサービス: %2 件</translation>
    </message>
    <message>
      <location line="+2" />
      <source> (%1 no longer in the catalog)</source>
      <translation>（うち %1 件はカタログにありません）</translation>
    </message>
    <message>
      <location filename="../../app/ui/plan_panels.py" line="-87" />
      <source>Provided</source>
      <translation>提供あり</translation>
    </message>
    <message>
      <location line="+0" />
      <source>Used only</source>
      <translation>利用のみ</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Via parent block</source>
      <translation>上位ブロックで対応</translation>
    </message>
    <message>
      <location line="+0" />
      <source>Not covered</source>
      <translation>未対応</translation>
    </message>
    <message>
      <location line="+1" />
      <location line="+178" />
      <source>, </source>
      <translation>、</translation>
    </message>
    <message>
      <location line="-164" />
      <source>%1 of blocks covered</source>
      <translation>ブロックの %1 をカバー</translation>
    </message>
    <message>
      <location line="+4" />
      <source>%1 gap</source>
      <translation>%1の不足</translation>
    </message>
    <message>
      <location line="+76" />
      <source>Critical</source>
      <translation>重大</translation>
    </message>
    <message>
      <location line="+0" />
      <source>Important</source>
      <translation>重要</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Normal</source>
      <translation>通常</translation>
    </message>
    <message>
      <location line="-5" />
      <source>Uncovered functions: %1 (%2 critical). Click “Add” on a suggestion to put it in the plan (can be undone).</source>
      <translation>未対応の機能: %1 件（重大 %2 件）。候補の「追加」で計画に加えられます（元に戻せます）。</translation>
    </message>
    <message>
      <location line="+26" />
      <source>Same field</source>
      <translation>同じ分野</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Provides</source>
      <translation>提供</translation>
    </message>
    <message>
      <location line="+0" />
      <source>Uses</source>
      <translation>利用</translation>
    </message>
    <message>
      <location line="+2" />
      <source>Closes %1 gap(s)</source>
      <translation>ギャップ %1 件を解消</translation>
    </message>
    <message>
      <location line="+2" />
      <source>Makes %1 gap(s) more urgent</source>
      <translation>新たな要対応 %1 件</translation>
    </message>
    <message>
      <location line="+7" />
      <source>Add</source>
      <translation>追加</translation>
    </message>
    <message>
      <location line="+52" />
      <source>Expected TYPE: %1</source>
      <translation>想定タイプ: %1</translation>
    </message>
    <message>
      <location line="-3" />
      <source> (data linkage: %1)</source>
      <translation>（データ連携あり: %1）</translation>
    </message>
    <message>
      <location line="+2" />
      <source> (no service links data)</source>
      <translation>（データ連携ありのサービスはありません）</translation>
    </message>
    <message>
      <location line="+2" />
      <source>Most sensitive personal data: %1</source>
      <translation>最も重い個人データの区分: %1</translation>
    </message>
    <message>
      <location line="+25" />
      <source>(no answer)</source>
      <translation>（未回答）</translation>
    </message>
    <message>
      <location line="+2" />
      <source> (suggested)</source>
      <translation>（候補）</translation>
    </message>
    <message>
      <location line="+7" />
      <source>Note</source>
      <translation>メモ</translation>
    </message>
    <message>
      <location filename="../../app/ui/plan_view.py" line="+127" />
      <source>Answer saved</source>
      <translation>回答を保存しました</translation>
    </message>
    <message>
      <location line="-93" />
      <source>Remove services</source>
      <translation>サービスを外す</translation>
    </message>
    <message>
      <location line="-128" />
      <source>Properties…</source>
      <translation>レポート項目…</translation>
    </message>
    <message>
      <location line="+108" />
      <source>Function blocks covered: %1% (%2/%3). A tile's colour and shape give its share of covered blocks; ▲ marks a group holding a critical gap.</source>
      <translation>機能ブロックのカバー率: %1%（%2/%3）。タイルの色と形はカバーされたブロックの割合を、▲ は重大な不足を含む機能群を示します。</translation>
    </message>
    <message>
      <location line="+21" />
      <source>Removed %1 (can be undone)</source>
      <translation>%1 件を外しました（元に戻せます）</translation>
    </message>
    <message>
      <location line="+10" />
      <source>Reorder</source>
      <translation>並べ替え</translation>
    </message>
    <message>
      <location line="+14" />
      <source>New plan</source>
      <translation>新しい計画</translation>
    </message>
    <message>
      <location line="+0" />
      <source>Plan name:</source>
      <translation>計画名:</translation>
    </message>
    <message>
      <location line="+8" />
      <location line="+14" />
      <source>Plan</source>
      <translation>計画</translation>
    </message>
    <message>
      <location line="-5" />
      <source>Rename plan</source>
      <translation>計画名の変更</translation>
    </message>
    <message>
      <location line="+0" />
      <source>New plan name:</source>
      <translation>新しい計画名:</translation>
    </message>
    <message>
      <location line="+15" />
      <source>Delete plan</source>
      <translation>計画の削除</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Delete the plan “%1”? This cannot be undone.</source>
      <translation>計画「%1」を削除しますか？この操作は元に戻せません。</translation>
    </message>
    <message>
      <location filename="../../app/ui/plan_export.py" line="+83" />
      <source>Export plan report</source>
      <translation>計画レポートの書き出し</translation>
    </message>
    <message>
      <location line="+12" />
      <source>Exporting “%1” as %2…</source>
      <translation>「%1」を%2で書き出し中…</translation>
    </message>
  </context>
  <context>
    <name>QueryBar</name>
    <message>
      <location filename="../../app/ui/query_bar.py" line="+116" />
      <source>Partial match: %1</source>
      <translation>一部の語に一致: %1</translation>
    </message>
    <message>
      <location line="+1" />
      <source>No entry contains every word. Not found together: %1</source>
      <translation>すべての語を含む項目はありません。一緒に見つからなかった語: %1</translation>
    </message>
    <message>
      <location line="+18" />
      <source>Including synonyms</source>
      <translation>類義語を含む</translation>
    </message>
    <message>
      <location line="+2" />
      <source>Also found through synonyms: %1. Click to search only the words as typed.</source>
      <translation>類義語でも検索しました: %1。クリックすると入力した語だけで検索します。</translation>
    </message>
    <message>
      <location line="+2" />
      <source>Synonyms off</source>
      <translation>類義語なし</translation>
    </message>
    <message>
      <location line="+1" />
      <source>%1 also have synonyms. Click to include them.</source>
      <translation>%1 には類義語があります。クリックすると類義語も含めて検索します。</translation>
    </message>
    <message>
      <location line="+26" />
      <source>Search services and the SCRA — e.g. オンデマンド 分野:公共交通</source>
      <translation>サービスとSCRAを検索 — 例: オンデマンド 分野:公共交通</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Words, "phrases", field:value filters (分野 提供者 自治体 種別 機能 層 個人情報 タイプ), -word to exclude, OR</source>
      <translation>語、"フレーズ"、項目:値 の条件（分野 提供者 自治体 種別 機能 層 個人情報 タイプ）、-語 で除外、OR</translation>
    </message>
    <message>
      <location line="+1" />
      <source>No conditions: showing the whole catalog</source>
      <translation>条件なし: カタログ全体を表示しています</translation>
    </message>
  </context>
  <context>
    <name>ResultsCommands</name>
    <message>
      <location filename="../../app/ui/results_commands.py" line="+54" />
      <source>Municipality page</source>
      <translation>自治体のページ</translation>
    </message>
    <message>
      <location line="+0" />
      <source>Municipality:</source>
      <translation>自治体:</translation>
    </message>
    <message>
      <location line="+32" />
      <source>Excel workbook (*.xlsx)</source>
      <translation>Excel ブック (*.xlsx)</translation>
    </message>
    <message>
      <location line="+1" />
      <source>CSV, UTF-8 (*.csv)</source>
      <translation>CSV UTF-8 (*.csv)</translation>
    </message>
    <message>
      <location line="+1" />
      <source>CSV, Shift_JIS for older Excel (*.csv)</source>
      <translation>CSV Shift_JIS・古い Excel 向け (*.csv)</translation>
    </message>
    <message>
      <location line="+5" />
      <source>Export results</source>
      <translation>検索結果を書き出す</translation>
    </message>
    <message>
      <location line="+30" />
      <source>Exporting %1 results…</source>
      <translation>検索結果 %1 件を書き出し中…</translation>
    </message>
    <message>
      <location line="+3" />
      <source>Export failed: %1</source>
      <translation>書き出しに失敗しました: %1</translation>
    </message>
    <message>
      <location line="-9" />
      <source>Saved %1</source>
      <translation>%1 に保存しました</translation>
    </message>
    <message>
      <location line="+2" />
      <source>(%1 characters not in Shift_JIS were written as 〓)</source>
      <translation>（Shift_JIS にない %1 文字は 〓 にしました）</translation>
    </message>
  </context>
  <context>
    <name>ResultsModel</name>
    <message>
      <location filename="../../app/ui/models.py" line="-1" />
      <source> · in the plan</source>
      <translation>・計画に追加済み</translation>
    </message>
    <message>
      <location line="+46" />
      <source>Kind</source>
      <translation>種別</translation>
    </message>
    <message>
      <location line="+0" />
      <source>Name</source>
      <translation>名称</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Provider</source>
      <translation>提供者</translation>
    </message>
    <message>
      <location line="+0" />
      <source>Field</source>
      <translation>分野</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Matched text</source>
      <translation>一致した箇所</translation>
    </message>
    <message>
      <location line="+0" />
      <source>Municipalities</source>
      <translation>自治体</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Score</source>
      <translation>スコア</translation>
    </message>
  </context>
  <context>
    <name>SearchPane</name>
    <message>
      <location filename="../../app/ui/search_pane.py" line="+144" />
      <source>Open the page of %1</source>
      <translation>%1 のページを開く</translation>
    </message>
    <message>
      <location line="+129" />
      <source>Search for: %1</source>
      <translation>「%1」で検索</translation>
    </message>
    <message>
      <location line="+15" />
      <source>Adoptions by prefecture: %1 services of the current results</source>
      <translation>都道府県別の導入数（検索結果のうち導入自治体のある %1 件）</translation>
    </message>
    <message>
      <location line="+18" />
      <source>Copy selected rows</source>
      <translation>選択した行をコピー</translation>
    </message>
    <message>
      <location line="+3" />
      <source>Municipality page</source>
      <translation>自治体のページ</translation>
    </message>
    <message>
      <location line="+26" />
      <source>Copied %1 rows</source>
      <translation>%1 行をコピーしました</translation>
    </message>
    <message>
      <location line="+29" />
      <source>Search failed: %1</source>
      <translation>検索に失敗しました: %1</translation>
    </message>
    <message>
      <location line="+6" />
      <source>Results</source>
      <translation>検索結果</translation>
    </message>
    <message>
      <location line="+3" />
      <source>%1 results (%2 services, %3 SCRA nodes)</source>
      <translation>%1 件（サービス %2 件・SCRA %3 件）</translation>
    </message>
    <message>
      <location line="+59" />
      <location line="+1" />
      <source>Refine</source>
      <translation>絞り込み</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Show or hide the facets</source>
      <translation>絞り込みの表示／非表示</translation>
    </message>
    <message>
      <location line="+1" />
      <source>List</source>
      <translation>一覧</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Map</source>
      <translation>地図</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Where the current results are used: click a prefecture to filter</source>
      <translation>検索結果の導入先：都道府県をクリックで絞り込み</translation>
    </message>
  </context>
  <context>
    <name>SettingsDialog</name>
    <message>
      <location filename="../../app/ui/dialogs.py" line="+55" />
      <source>Settings</source>
      <translation>設定</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Language</source>
      <translation>言語</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Text size</source>
      <translation>文字の大きさ</translation>
    </message>
    <message>
      <location line="+1" />
      <source>High contrast</source>
      <translation>ハイコントラスト</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Black background, bright text</source>
      <translation>黒い背景に明るい文字</translation>
    </message>
  </context>
  <context>
    <name>SourcesModel</name>
    <message>
      <location filename="../../app/ui/detail_models.py" line="+1" />
      <source>Title</source>
      <translation>タイトル</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Site</source>
      <translation>サイト</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Seen</source>
      <translation>確認日</translation>
    </message>
  </context>
  <context>
    <name>Startup</name>
    <message>
      <location filename="../../app/ui/app.py" line="+103" />
      <location line="+192" />
      <source>Building the catalog…</source>
      <translation>カタログを準備しています…</translation>
    </message>
    <message>
      <location line="-80" />
      <source>Machi Navi is already open for this user. Switch to its window (taskbar), or close it and start again.</source>
      <translation>まちナビはすでに起動しています。タスクバーから開いているウィンドウに切り替えるか、閉じてから起動し直してください。</translation>
    </message>
    <message>
      <location line="+3" />
      <source>Machi Navi</source>
      <translation>まちナビ</translation>
    </message>
  </context>
  <context>
    <name>TourOverlay</name>
    <message>
      <location filename="../../app/ui/tour.py" line="-111" />
      <source>Step %1 of %2</source>
      <translation>ステップ %1 / %2</translation>
    </message>
    <message>
      <location line="+4" />
      <source>Back</source>
      <translation>戻る</translation>
    </message>
    <message>
      <location line="+2" />
      <source>Finish</source>
      <translation>終了</translation>
    </message>
    <message>
      <location line="+0" />
      <source>Next</source>
      <translation>次へ</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Close tour</source>
      <translation>ツアーを閉じる</translation>
    </message>
  </context>
  <context>
    <name>TownPage</name>
    <message>
      <location filename="../../app/ui/town_page.py" line="+82" />
      <source>Municipality: %1</source>
      <translation>自治体: %1</translation>
    </message>
    <message>
      <location line="+13" />
      <source>%1 services in the catalog are used here (%2). Sources under each service.</source>
      <translation>カタログの %1 件のサービスがここで使われています（%2）。各サービスの下に出典があります。</translation>
    </message>
    <message>
      <location line="+2" />
      <source>By field</source>
      <translation>分野別</translation>
    </message>
    <message>
      <location line="+1" />
      <source>By SCRA function group</source>
      <translation>SCRA 機能群別</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Show these in the results</source>
      <translation>検索結果に表示</translation>
    </message>
    <message>
      <location line="+3" />
      <source>The catalog records no service used by %1.</source>
      <translation>カタログには %1 の導入事例がありません。</translation>
    </message>
    <message>
      <location line="+2" />
      <source>Did you mean: %1?</source>
      <translation>もしかして: %1</translation>
    </message>
    <message>
      <location line="+2" />
      <source>Entries used elsewhere in %1 are listed below.</source>
      <translation>%1 内の他の自治体で使われている項目を下に示します。</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Used elsewhere in the prefecture</source>
      <translation>同じ都道府県の他の自治体で利用</translation>
    </message>
    <message>
      <location line="+2" />
      <source>Search %1</source>
      <translation>%1 で検索</translation>
    </message>
  </context>
  <context>
    <name>WhatsNew</name>
    <message>
      <location filename="../../app/ui/whats_new.py" line="+26" />
      <source>%1 added, %2 removed, %3 changed</source>
      <translation>追加 %1 件、削除 %2 件、変更 %3 件</translation>
    </message>
    <message>
      <location line="+13" />
      <source>New entries</source>
      <translation>新しいエントリ</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Removed entries</source>
      <translation>削除されたエントリ</translation>
    </message>
    <message>
      <location line="+1" />
      <source>Changed entries</source>
      <translation>変更されたエントリ</translation>
    </message>
    <message>
      <location line="+9" />
      <source>What's new in this edition</source>
      <translation>この版の新着</translation>
    </message>
    <message>
      <location line="+4" />
      <source>What is new in %1</source>
      <translation>%1の新着</translation>
    </message>
    <message>
      <location line="+1" />
      <source>What is new in the catalog</source>
      <translation>カタログの新着</translation>
    </message>
  </context>
</TS>